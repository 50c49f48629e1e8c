using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// The CNI manifests KubeHa applies after <c>kubeadm init</c>. Hosts have no internet access, so these are small,
/// valid manifests embedded in the assembly (Provisioning/Rendering/Cni/*.yaml: namespace or service account, RBAC,
/// config and DaemonSet), with the pod CIDR substituted; they are skeletons of the upstream manifests, not copies.
/// </summary>
public static class CniManifests
{
    public const string PodCidrPlaceholder = "__POD_CIDR__";

    public static string Render(CniPlugin cni, string podSubnet)
    {
        var name = $"KubeHa.Core.Provisioning.Rendering.Cni.{cni.ToString().ToLowerInvariant()}.yaml";
        using var stream = typeof(CniManifests).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded manifest {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace(PodCidrPlaceholder, podSubnet, StringComparison.Ordinal);
    }
}
