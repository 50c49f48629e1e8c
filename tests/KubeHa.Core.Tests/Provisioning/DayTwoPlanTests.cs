using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Provisioning;

/// <summary>
/// Adding hosts to a running cluster touches only them (existing members are read, never prepared again) and reloads
/// load balancers one at a time; removing a host resets it, removes its etcd member from a peer that stays and stops
/// HAProxy and keepalived on a leaving load balancer before the others are restarted.
/// </summary>
public sealed class DayTwoPlanTests
{
    private static readonly PlanCatalog Catalog = new(new NoApi());
    private static readonly NodeState Joined = new() { HasKubeletConf = true, HasAdminConf = true };

    [Fact]
    public void AddNodes_OneNewWorker_OnlyItIsPreparedAndJoinedAndNoBalancerReloaded()
    {
        var (spec, members) = Seed000();
        members.Add(Member(10, "192.168.56.27", NodeRole.Worker));
        var context = PlanBuildingTests.Context(spec, members, states: JoinedExisting(members, 10), adding: new HashSet<int> { 10 });

        var hosts = Selection(PlanCatalog.AddNodes, context);

        foreach (var key in new[] { "check-preflight", "prepare-os", "install-container-runtime", "install-kube-packages", "pull-images", "join-workers" })
        {
            Assert.True(hosts[key].SequenceEqual([10]), $"{key}: {string.Join(",", hosts[key])}");
        }

        Assert.Empty(hosts["join-control-planes"]);
        Assert.Empty(hosts["configure-load-balancers"]); // backends are the control planes: unchanged
        Assert.Empty(hosts["configure-keepalived"]);
        Assert.Equal(Enumerable.Range(1, 10), hosts["connect-hosts"]); // read, to know who holds admin.conf
    }

    [Fact]
    public void AddNodes_TwoControlPlanes_BalancersReloadedOneAtATimeKeepalivedUntouched()
    {
        var (spec, members) = Seed000();
        members.Add(Member(10, "192.168.56.27", NodeRole.ControlPlane));
        members.Add(Member(11, "192.168.56.28", NodeRole.ControlPlane));
        var context = PlanBuildingTests.Context(spec, members, states: JoinedExisting(members, 10, 11), adding: new HashSet<int> { 10, 11 });
        var plan = Catalog.Get(PlanCatalog.AddNodes);

        var hosts = Selection(PlanCatalog.AddNodes, context);

        Assert.Equal([10, 11], hosts["prepare-os"]);
        Assert.Equal([10, 11], hosts["join-control-planes"]);
        Assert.Equal([8, 9], hosts["configure-load-balancers"]);
        Assert.Empty(hosts["configure-keepalived"]);
        Assert.Equal(Fanout.OneAtATime, plan.Steps.Single(s => s.Key == "configure-load-balancers").Fanout);
        Assert.Equal(Fanout.OneAtATime, plan.Steps.Single(s => s.Key == "join-control-planes").Fanout);
    }

    [Fact]
    public void AddNodes_ThirdLoadBalancer_EveryKeepalivedRestartedOneAtATime()
    {
        var (spec, members) = Seed000();
        members.Add(Member(10, "192.168.56.13", NodeRole.LoadBalancer));
        var context = PlanBuildingTests.Context(spec, members, states: JoinedExisting(members, 10), adding: new HashSet<int> { 10 });
        var plan = Catalog.Get(PlanCatalog.AddNodes);

        var hosts = Selection(PlanCatalog.AddNodes, context);

        Assert.Equal([10], hosts["configure-load-balancers"]);
        Assert.Equal([8, 9, 10], hosts["configure-keepalived"]);
        Assert.Equal(Fanout.OneAtATime, plan.Steps.Single(s => s.Key == "configure-keepalived").Fanout);
        Assert.Empty(hosts["prepare-os"]); // a load balancer runs no kubeadm
    }

    [Fact]
    public void Create_BalancersInParallel_NothingServedYet()
    {
        var plan = Catalog.Get(PlanCatalog.Create);
        Assert.Equal(Fanout.Parallel, plan.Steps.Single(s => s.Key == "configure-load-balancers").Fanout);
        Assert.Equal(Fanout.Parallel, plan.Steps.Single(s => s.Key == "configure-keepalived").Fanout);
    }

    [Fact]
    public void Reset_OneControlPlane_EtcdMemberRemovedAfterResetAndBalancersOneAtATime()
    {
        var (spec, members) = Seed000();
        var context = PlanBuildingTests.Context(spec, members, removing: new HashSet<int> { 2 }, states: JoinedExisting(members));
        var plan = Catalog.Get(PlanCatalog.Reset);

        var hosts = Selection(PlanCatalog.Reset, context);

        var keys = plan.Steps.Select(s => s.Key).ToList();
        Assert.True(keys.IndexOf("reset-nodes") < keys.IndexOf("remove-etcd-members"));
        Assert.True(keys.IndexOf("remove-etcd-members") < keys.IndexOf("configure-load-balancers"));
        Assert.Equal([2], hosts["drain-nodes"]);
        Assert.Equal([2], hosts["reset-nodes"]);
        Assert.Equal([2], hosts["remove-etcd-members"]);
        Assert.Equal([8, 9], hosts["configure-load-balancers"]);
        Assert.All(plan.Steps.Where(s => s.Key is "configure-load-balancers" or "configure-keepalived"), s => Assert.Equal(Fanout.OneAtATime, s.Fanout));
    }

    [Fact]
    public void Reset_Worker_NoEtcdMemberToRemove()
    {
        var (spec, members) = Seed000();
        var context = PlanBuildingTests.Context(spec, members, removing: new HashSet<int> { 5 }, states: JoinedExisting(members));
        Assert.Empty(Selection(PlanCatalog.Reset, context)["remove-etcd-members"]);
    }

    [Fact]
    public void Reset_Everything_NoPeerLeftSoNoMemberRemoval()
    {
        var (spec, members) = Seed000();
        var context = PlanBuildingTests.Context(spec, members, removing: members.Select(m => m.HostId).ToHashSet(), states: JoinedExisting(members));
        Assert.Empty(Selection(PlanCatalog.Reset, context)["remove-etcd-members"]);
    }

    [Fact]
    public void Reset_ExternalEtcdHost_ItsMemberRemovedFromAnotherEtcdHost()
    {
        var (spec, members) = Seed002();
        var context = PlanBuildingTests.Context(spec, members, removing: new HashSet<int> { 3 }, states: JoinedExisting(members));
        Assert.Equal([3], Selection(PlanCatalog.Reset, context)["remove-etcd-members"]);
    }

    [Fact]
    public async Task Reset_LeavingLoadBalancer_StoppedFirstThenTheOtherWithoutItAsPeer()
    {
        var (spec, members) = Seed000();
        var sink = new PlanBuildingTests.ListSink();
        var context = PlanBuildingTests.Context(spec, members, removing: new HashSet<int> { 8 }, states: JoinedExisting(members), sink: sink);
        var plan = Catalog.Get(PlanCatalog.Reset);
        var hosts = Selection(PlanCatalog.Reset, context);
        Assert.Equal([8, 9], hosts["configure-load-balancers"]);
        Assert.Equal([8, 9], hosts["configure-keepalived"]);

        var keepalived = plan.Steps.Single(s => s.Key == "configure-keepalived");
        context.CurrentStepKey = keepalived.Key;
        await keepalived.RunAsync(await context.SessionAsync(members[7], CancellationToken.None), CancellationToken.None);
        Assert.Contains(sink.Lines, l => l.Contains("systemctl disable --now keepalived", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveEtcdMembers_StaleMemberListed_RemovedFromThePeerThatStays()
    {
        var (spec, members) = Seed000();
        var peer = new EtcdPeerShell(
            "8e9e05c52164694d, started, host1, https://192.168.56.20:2380, https://192.168.56.20:2379, false\n" +
            "91bc3c398fb3c146, started, host2, https://192.168.56.21:2380, https://192.168.56.21:2379, false\n" +
            "fd422379fda50e48, started, host3, https://192.168.56.22:2380, https://192.168.56.22:2379, false\n");
        var context = PlanBuildingTests.Context(spec, members, removing: new HashSet<int> { 2 }, states: JoinedExisting(members),
            shells: id => id == 1 ? peer : new EtcdPeerShell(string.Empty));
        var step = Catalog.Get(PlanCatalog.Reset).Steps.Single(s => s.Key == "remove-etcd-members");

        await step.RunAsync(await context.SessionAsync(members[1], CancellationToken.None), CancellationToken.None);

        var removals = peer.Scripts.Where(s => s.Contains("member remove", StringComparison.Ordinal)).ToList();
        Assert.Single(removals);
        Assert.Contains($"{Etcdctl.Command.Text} member remove 91bc3c398fb3c146", removals[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveEtcdMembers_AlreadyRemovedByReset_NothingRemoved()
    {
        var (spec, members) = Seed000();
        var peer = new EtcdPeerShell("8e9e05c52164694d, started, host1, https://192.168.56.20:2380, https://192.168.56.20:2379, false\n");
        var context = PlanBuildingTests.Context(spec, members, removing: new HashSet<int> { 2 }, states: JoinedExisting(members), shells: id => id == 1 ? peer : new EtcdPeerShell(string.Empty));
        var step = Catalog.Get(PlanCatalog.Reset).Steps.Single(s => s.Key == "remove-etcd-members");

        await step.RunAsync(await context.SessionAsync(members[1], CancellationToken.None), CancellationToken.None);

        Assert.DoesNotContain(peer.Scripts, s => s.Contains("member remove", StringComparison.Ordinal));
    }

    private static Dictionary<int, NodeState> JoinedExisting(List<ClusterMember> members, params int[] fresh) =>
        members.Where(m => !fresh.Contains(m.HostId)).ToDictionary(m => m.HostId, _ => Joined);

    private static Dictionary<string, int[]> Selection(string plan, PlanContext context) =>
        Catalog.Get(plan).Steps.ToDictionary(s => s.Key, s => s.SelectHosts(context).Select(h => h.HostId).ToArray());

    /// <summary>A host that answers etcdctl member list with the given output and records every script (not a dry run).</summary>
    private sealed class EtcdPeerShell(string memberList) : IHostShell
    {
        public List<string> Scripts { get; } = [];

        public bool IsDryRun => false;

        public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken) =>
            Task.FromResult(Answer(script.Text));

        public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken) => Task.FromResult(Answer(script.Text));

        public void AddKnownSecrets(IEnumerable<string> secrets)
        {
        }

        public string Mask(string text) => text;

        public void Dispose()
        {
        }

        private RemoteCommandResult Answer(string script)
        {
            Scripts.Add(script);
            return new RemoteCommandResult(0, script.Contains(" member list", StringComparison.Ordinal) ? memberList : string.Empty, string.Empty);
        }
    }

    private sealed class NoApi : IClusterApi
    {
        public Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no API in unit tests");
    }
}
