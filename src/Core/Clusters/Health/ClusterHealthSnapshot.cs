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

    /// <summary>
    /// What makes a provisioned cluster degraded right now, one short phrase each ("node2 NotReady", "lb1: node2
    /// DOWN", "etcd node3 unhealthy"); empty when every source answered and everything is well.
    /// </summary>
    public IReadOnlyList<string> Degradations()
    {
        var found = new List<string>();
        if (Kubernetes.Error is not null)
        {
            found.Add("Kubernetes API unreachable");
        }

        found.AddRange(Kubernetes.Nodes.Where(n => !n.Ready).Select(n => $"{n.Name} NotReady"));
        foreach (var balancer in LoadBalancers)
        {
            if (balancer.Error is not null)
            {
                found.Add($"{balancer.Host} unreadable");
                continue;
            }

            found.AddRange(balancer.Servers
                .Where(s => s.Backend == LoadBalancing.HaproxyConfigRenderer.ApiBackend && s.State != LoadBalancing.HaproxyServerState.Up)
                .Select(s => $"{balancer.Host}: {s.Server} {s.Status}"));
        }

        if (VirtualIp is not null && LoadBalancers.Count > 0 && LoadBalancers.All(l => l.Error is null && l.HoldsVip is not null) && VipHolder is null)
        {
            found.Add($"VIP {VirtualIp} held by no host");
        }

        if (Etcd.Error is not null)
        {
            found.Add("etcd unreadable");
        }

        found.AddRange(Etcd.Members.Where(m => m.Healthy == false).Select(m => $"etcd {m.Name} unhealthy"));
        return found;
    }
}
