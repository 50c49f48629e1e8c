namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>A DaemonSet, Deployment, StatefulSet or Job of a manifest, with every image its pods use (init containers first).</summary>
public sealed record ManifestWorkload(string Kind, string Namespace, string Name, IReadOnlyList<string> Images)
{
    public bool IsDaemonSet => Kind == "DaemonSet";

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
