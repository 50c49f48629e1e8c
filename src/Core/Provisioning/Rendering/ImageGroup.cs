namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Images a cluster needs from one source, and the nodes that run them.</summary>
/// <param name="Source">"kubeadm v1.31.2", "Calico v3.32.1", ...</param>
/// <param name="Nodes">Which nodes pull them: "control planes", "every node", ...</param>
/// <param name="Images">Exact references, as the manifests and kubeadm name them.</param>
/// <param name="Pinned">
/// Tags decided by the installed kubeadm rather than by KubeHa (etcd, CoreDNS): named without a tag, with the command
/// that prints them; empty for most groups.
/// </param>
public sealed record ImageGroup(string Source, string Nodes, IReadOnlyList<string> Images, IReadOnlyList<string> Pinned)
{
    public IEnumerable<string> Lines()
    {
        yield return $"{Source} ({Nodes}):";
        foreach (var image in Images)
        {
            yield return "  " + image;
        }

        foreach (var pinned in Pinned)
        {
            yield return "  " + pinned;
        }
    }
}
