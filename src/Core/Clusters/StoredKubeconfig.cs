namespace KubeHa.Core.Clusters;

/// <summary>A cluster's name and, once stored, its admin kubeconfig.</summary>
public sealed record StoredKubeconfig(string ClusterName, string? Content)
{
    public override string ToString() => $"StoredKubeconfig {{ ClusterName = {ClusterName}, Content = {(Content is null ? "none" : "***")} }}";
}
