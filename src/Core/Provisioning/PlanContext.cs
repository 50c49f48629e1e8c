using System.Collections.Concurrent;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// Everything steps decide from during one attempt of a run: the frozen spec, the hosts and their roles, the facts
/// gathered at the start of this attempt, and the cluster's join material (loaded decrypted, saved encrypted).
/// </summary>
public sealed class PlanContext
{
    private readonly ConcurrentDictionary<int, NodeState> _states = new();
    private readonly ConcurrentDictionary<int, HostFacts> _facts = new();
    private readonly SemaphoreSlim _joinLock = new(1, 1);
    private readonly Func<int, CancellationToken, Task<HostSession>> _sessions;
    private readonly IClusterSecretsStore _secrets;

    public PlanContext(
        int clusterId,
        long runId,
        ClusterSpec spec,
        IReadOnlyList<ClusterMember> members,
        IReadOnlySet<int> removing,
        JoinMaterial join,
        IClusterSecretsStore secrets,
        Func<int, CancellationToken, Task<HostSession>> sessions,
        TimeProvider time,
        ProvisioningOptions options,
        IReadOnlySet<int>? adding = null)
    {
        ClusterId = clusterId;
        RunId = runId;
        Spec = spec;
        Members = members;
        Removing = removing;
        Adding = adding;
        Join = join;
        _secrets = secrets;
        _sessions = sessions;
        Time = time;
        Options = options;
        Endpoint = ControlPlaneEndpoint.For(spec, members);
        foreach (var member in members.Where(m => m.Facts is not null))
        {
            _facts[member.HostId] = member.Facts!;
        }
    }

    public int ClusterId { get; }

    public long RunId { get; }

    public ClusterSpec Spec { get; }

    public IReadOnlyList<ClusterMember> Members { get; }

    /// <summary>Hosts this run removes from the cluster (reset plans); empty otherwise.</summary>
    public IReadOnlySet<int> Removing { get; }

    /// <summary>
    /// Hosts an add-nodes run joins (its hostIds: the members just added); null when every member is concerned (create,
    /// or add-nodes of the whole membership, where facts alone skip what is done).
    /// </summary>
    public IReadOnlySet<int>? Adding { get; }

    public ControlPlaneEndpoint Endpoint { get; }

    public TimeProvider Time { get; }

    public ProvisioningOptions Options { get; }

    public JoinMaterial Join { get; private set; }

    /// <summary>Key of the step executing now (log lines are attributed to it).</summary>
    public string? CurrentStepKey { get; set; }

    /// <summary>The admin kubeconfig once read from the first control plane (memory only).</summary>
    public string? AdminKubeconfig { get; set; }

    public IEnumerable<ClusterMember> ControlPlanes => Members.Where(m => m.Is(NodeRole.ControlPlane));

    public IEnumerable<ClusterMember> Workers => Members.Where(m => m.Is(NodeRole.Worker) && !m.Is(NodeRole.ControlPlane));

    public IEnumerable<ClusterMember> EtcdHosts => Members.Where(m => m.Is(NodeRole.Etcd));

    public IEnumerable<ClusterMember> KubernetesNodes => Members.Where(m => m.IsKubernetesNode);

    /// <summary>Hosts that need a container runtime and kube packages: nodes, and external etcd members (kubeadm runs etcd there).</summary>
    public IEnumerable<ClusterMember> KubeadmHosts => Members.Where(m => m.IsKubernetesNode || m.Is(NodeRole.Etcd));

    /// <summary>Members that stay in the cluster (everything but what a reset removes).</summary>
    public IEnumerable<ClusterMember> Remaining => Members.Where(m => !IsRemoving(m));

    /// <summary>Where HAProxy runs: every node in node-local mode, else the load-balancer hosts.</summary>
    public IEnumerable<ClusterMember> LoadBalancerHosts => Spec.LoadBalancerMode == LoadBalancerMode.NodeLocal
        ? KubernetesNodes
        : Members.Where(m => m.Is(NodeRole.LoadBalancer));

    /// <summary>
    /// The control plane that runs (or ran) kubeadm init: one that already has admin.conf if any does (init exactly
    /// once per cluster), else the first one.
    /// </summary>
    public ClusterMember? InitHost =>
        ControlPlanes.FirstOrDefault(m => StateOf(m.HostId).HasAdminConf) ?? ControlPlanes.FirstOrDefault();

    /// <summary>A control plane that stays and can run kubectl with admin.conf (for drains during a reset).</summary>
    public ClusterMember? AdminHost =>
        Remaining.Where(m => m.Is(NodeRole.ControlPlane)).FirstOrDefault(m => StateOf(m.HostId).HasAdminConf);

    public bool IsRemoving(ClusterMember member) => Removing.Contains(member.HostId);

    /// <summary>
    /// True for a host this run prepares and joins: not one a reset removes, and, in an add-nodes run with targets, one
    /// of them (existing members are connected and read, never prepared again).
    /// </summary>
    public bool Concerns(ClusterMember member) => !IsRemoving(member) && (Adding is null || Adding.Contains(member.HostId));

    /// <summary>
    /// True when the control planes behind the load balancers (or, with ingress forwarding, the workers) change in this
    /// run, so every HAProxy must be rendered again; false for an add-nodes run that joins only workers.
    /// </summary>
    public bool BackendsChange =>
        Adding is null || Removing.Count > 0 ||
        Members.Any(m => Adding.Contains(m.HostId) && (m.Is(NodeRole.ControlPlane) || (m.Is(NodeRole.Worker) && Spec.IngressForwarding is not null)));

    /// <summary>
    /// True when <paramref name="host"/> carries this cluster's completion marker of <paramref name="stepKey"/> and the
    /// kubelet.conf the step left (a marker without it is stale: see <see cref="StepMarkers"/>).
    /// </summary>
    public bool HasCompleted(ClusterMember host, string stepKey) =>
        StateOf(host.HostId) is { HasKubeletConf: true } state && state.CompletedSteps.Contains(StepMarkers.Fact(ClusterId, stepKey));

    public NodeState StateOf(int hostId) => _states.TryGetValue(hostId, out var s) ? s : NodeState.Fresh;

    public HostFacts? FactsOf(int hostId) => _facts.TryGetValue(hostId, out var f) ? f : null;

    public void SetFacts(int hostId, HostFacts? facts, NodeState state)
    {
        _states[hostId] = state;
        if (facts is not null)
        {
            _facts[hostId] = facts;
        }
    }

    /// <summary>
    /// The node name kubeadm registers: the lower-cased hostname gathered this attempt, else the inventory name; a name
    /// that is not RFC 1123 fails the step (it would reach scripts and configs on other hosts).
    /// </summary>
    public string NodeName(ClusterMember member) =>
        NodeNames.TryFor(FactsOf(member.HostId), member.Name, out var name, out var error)
            ? name
            : throw new StepFailedException(member.Name, "node name", null, string.Empty, $"{member.Name}: {error}");

    public ClusterMember Member(int hostId) => Members.First(m => m.HostId == hostId);

    /// <summary>The run's session to another host (connected on first use).</summary>
    public Task<HostSession> SessionAsync(ClusterMember member, CancellationToken cancellationToken) => _sessions(member.HostId, cancellationToken);

    /// <summary>
    /// Serialises changes to the join material across hosts: <paramref name="update"/> sees the current material and
    /// returns the new one (or the same), which is saved encrypted before it is used anywhere.
    /// </summary>
    public async Task<JoinMaterial> UpdateJoinAsync(Func<JoinMaterial, CancellationToken, Task<JoinMaterial>> update, CancellationToken cancellationToken)
    {
        await _joinLock.WaitAsync(cancellationToken);
        try
        {
            var next = await update(Join, cancellationToken);
            if (next != Join)
            {
                await _secrets.SaveAsync(ClusterId, next, cancellationToken);
                Join = next;
            }

            return Join;
        }
        finally
        {
            _joinLock.Release();
        }
    }

    /// <summary>Saves material about to be used, inside an <see cref="UpdateJoinAsync"/> callback (persist before use).</summary>
    public Task SaveJoinNowAsync(JoinMaterial material, CancellationToken cancellationToken) =>
        _secrets.SaveAsync(ClusterId, material, cancellationToken);

    public Task SaveKubeconfigAsync(string kubeconfig, CancellationToken cancellationToken) =>
        _secrets.SaveKubeconfigAsync(ClusterId, kubeconfig, cancellationToken);

    public Task ClearSecretsAsync(CancellationToken cancellationToken) => _secrets.ClearAsync(ClusterId, cancellationToken);
}
