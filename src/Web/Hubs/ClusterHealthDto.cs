using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Kubernetes;

namespace KubeHa.Web.Hubs;

/// <summary>
/// One item of <c>StreamClusterHealth</c>: the cluster's whole health as of <see cref="At"/> (the same parts the REST
/// endpoints /nodes, /load-balancers and /etcd return). A new item follows every change.
/// </summary>
/// <param name="ClusterId">Cluster.</param>
/// <param name="At">When this snapshot was assembled.</param>
/// <param name="Settled">Every source (API, each load balancer, etcd) has answered or failed at least once.</param>
/// <param name="Kubernetes">Nodes and control-plane pods (watched).</param>
/// <param name="LoadBalancers">One entry per HAProxy host: its servers (backends) from the stats socket.</param>
/// <param name="Etcd">Members and their health.</param>
/// <param name="VirtualIp">The VIP in keepalived mode, else null.</param>
/// <param name="VipHolder">The load-balancer host holding the VIP, when one does.</param>
/// <param name="Problem">Why nothing can be shown at all, else null.</param>
public sealed record ClusterHealthDto(
    int ClusterId,
    DateTimeOffset At,
    bool Settled,
    KubernetesHealth Kubernetes,
    IReadOnlyList<LoadBalancerHealth> LoadBalancers,
    EtcdHealth Etcd,
    string? VirtualIp,
    string? VipHolder,
    string? Problem)
{
    public static ClusterHealthDto From(ClusterHealthSnapshot s) =>
        new(s.ClusterId, s.At, s.Settled, s.Kubernetes, s.LoadBalancers, s.Etcd, s.VirtualIp, s.VipHolder, s.Problem);
}
