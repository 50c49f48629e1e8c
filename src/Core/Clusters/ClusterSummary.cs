using KubeHa.Core.Runs;

namespace KubeHa.Core.Clusters;

/// <summary>A cluster as the clusters list shows it.</summary>
/// <param name="Id">Cluster id.</param>
/// <param name="Name">Cluster name.</param>
/// <param name="Status">Provisioning, healthy, degraded, failed...: as the last run left it, then Healthy/Degraded as the health monitor last found it.</param>
/// <param name="KubernetesVersion">Version from the spec.</param>
/// <param name="ControlPlanes">Hosts with the control-plane role.</param>
/// <param name="Workers">Hosts with the worker role.</param>
/// <param name="EtcdMembers">External etcd hosts (0 when stacked).</param>
/// <param name="LoadBalancers">Load-balancer hosts.</param>
/// <param name="Endpoint">The control-plane endpoint, "host:port".</param>
/// <param name="LastRun">The most recent run, if any.</param>
/// <param name="ActiveRunId">The run holding the cluster now, if any.</param>
/// <param name="Zone">The network zone it is pinned to (its runs go only to agents serving it); null: any agent.</param>
/// <param name="HealthReasons">When <paramref name="Status"/> is Degraded: why, as the health monitor last found it; else empty.</param>
/// <param name="HealthCheckedAt">When the health monitor last stored a check; null: never.</param>
/// <param name="HasKubeconfig">An admin kubeconfig is stored (a create run fetched it, no reset cleared it).</param>
public sealed record ClusterSummary(
    int Id,
    string Name,
    ClusterStatus Status,
    string KubernetesVersion,
    int ControlPlanes,
    int Workers,
    int EtcdMembers,
    int LoadBalancers,
    string Endpoint,
    RunSummary? LastRun,
    long? ActiveRunId,
    string? Zone = null,
    IReadOnlyList<string>? HealthReasons = null,
    DateTimeOffset? HealthCheckedAt = null,
    bool HasKubeconfig = false);
