namespace KubeHa.Core.Clusters;

/// <summary>A Kubernetes cluster KubeHa builds and manages.</summary>
public sealed class Cluster
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required ClusterSpec Spec { get; set; }

    public ClusterStatus Status { get; set; }

    public List<ClusterNode> Nodes { get; set; } = [];

    /// <summary>Encrypted admin kubeconfig, once provisioning fetched it.</summary>
    public string? ProtectedKubeconfig { get; set; }

    /// <summary>Id of the run currently holding the cluster; the compare-and-swap target for "one active run per cluster".</summary>
    public long? ActiveRunId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
