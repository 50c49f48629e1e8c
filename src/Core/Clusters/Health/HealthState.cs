using KubeHa.Core.Kubernetes;

namespace KubeHa.Core.Clusters.Health;

/// <summary>The latest of each source for one subscription, written by its loops, read as immutable snapshots.</summary>
internal sealed class HealthState
{
    private readonly Lock _gate = new();
    private readonly int _clusterId;
    private readonly string? _virtualIp;
    private readonly TimeProvider _time;
    private readonly List<LoadBalancerHealth> _balancers;
    private readonly HashSet<int> _balancersAnswered = [];
    private KubernetesHealth _kubernetes = KubernetesHealth.Connecting;
    private bool _kubernetesAnswered;
    private EtcdHealth _etcd = EtcdHealth.Unknown;
    private bool _etcdAnswered;

    public HealthState(int clusterId, string? virtualIp, IReadOnlyList<ClusterMember> balancers, TimeProvider time)
    {
        _clusterId = clusterId;
        _virtualIp = virtualIp;
        _time = time;
        _balancers = balancers.Select(b => new LoadBalancerHealth(b.HostId, b.Name, b.Address, [], null, null)).ToList();
    }

    public void SetKubernetes(KubernetesHealth health)
    {
        lock (_gate)
        {
            _kubernetes = health;
            _kubernetesAnswered |= !health.Stale || health.Error is not null;
        }
    }

    /// <summary>True when it changed what the dashboard shows (the seconds-since-change column always moves on its own).</summary>
    public bool SetLoadBalancer(LoadBalancerHealth health)
    {
        lock (_gate)
        {
            var i = _balancers.FindIndex(b => b.HostId == health.HostId);
            var old = _balancers[i];
            _balancers[i] = health;
            var first = _balancersAnswered.Add(health.HostId);
            return first || !SameShape(old, health) || old.ReadAt is null;
        }
    }

    public bool SetEtcd(EtcdHealth health)
    {
        lock (_gate)
        {
            var changed = !_etcdAnswered || health.Error != _etcd.Error || !health.Members.SequenceEqual(_etcd.Members);
            _etcd = health;
            _etcdAnswered = true;
            return changed;
        }
    }

    public ClusterHealthSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new ClusterHealthSnapshot(_clusterId, _time.GetUtcNow(), _kubernetes, _balancers.ToList(), _etcd, _virtualIp)
            {
                Settled = _kubernetesAnswered && _etcdAnswered && _balancersAnswered.Count == _balancers.Count,
            };
        }
    }

    private static bool SameShape(LoadBalancerHealth a, LoadBalancerHealth b) =>
        b.ReadAt is not null && a.Error == b.Error && a.HoldsVip == b.HoldsVip && a.Servers.Count == b.Servers.Count
        && a.Servers.Zip(b.Servers).All(p => p.First with { SecondsSinceChange = 0 } == p.Second with { SecondsSinceChange = 0 });
}
