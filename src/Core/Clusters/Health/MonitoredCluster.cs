namespace KubeHa.Core.Clusters.Health;

/// <summary>A provisioned cluster the health monitor checks (Healthy or Degraded, no run holding it).</summary>
/// <param name="Id">Cluster id.</param>
/// <param name="Name">Cluster name (for logs).</param>
/// <param name="Zone">Its network zone; null: the default one.</param>
/// <param name="Status">Its stored status when listed.</param>
public sealed record MonitoredCluster(int Id, string Name, string? Zone, ClusterStatus Status);
