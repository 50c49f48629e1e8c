using KubeHa.Core.Kubernetes;

namespace KubeHa.Core.Clusters.Health;

/// <summary>A cluster's health at <see cref="At"/>: Kubernetes API view, load balancers, etcd, VIP holder.</summary>
/// <param name="ClusterId">Cluster.</param>
/// <param name="At">When this snapshot was assembled.</param>
/// <param name="Kubernetes">Nodes and control-plane pods (watched).</param>
/// <param name="LoadBalancers">One entry per HAProxy host (polled over SSH).</param>
/// <param name="Etcd">Members and health (polled over SSH).</param>
/// <param name="VirtualIp">The VIP in keepalived mode, else null.</param>
/// <param name="Problem">Why nothing can be shown at all (no kubeconfig yet, ...), else null.</param>
public sealed record ClusterHealthSnapshot(
    int ClusterId,
    DateTimeOffset At,
    KubernetesHealth Kubernetes,
    IReadOnlyList<LoadBalancerHealth> LoadBalancers,
    EtcdHealth Etcd,
    string? VirtualIp,
    string? Problem = null)
{
    /// <summary>Every source (API, each load balancer, etcd) has answered or failed at least once.</summary>
    public bool Settled { get; init; }

    /// <summary>The load-balancer host holding the VIP (keepalived mode), when one does.</summary>
    public string? VipHolder => LoadBalancers.FirstOrDefault(l => l.HoldsVip == true)?.Host;
}
