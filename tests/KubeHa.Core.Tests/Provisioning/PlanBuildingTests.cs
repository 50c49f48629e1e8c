using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Provisioning;

public sealed class PlanBuildingTests
{
    private static readonly PlanCatalog Catalog = new(new NoApi());

    internal static PlanContext Context(ClusterSpec spec, List<ClusterMember> members, IReadOnlySet<int>? removing = null, Dictionary<int, NodeState>? states = null, ListSink? sink = null, IReadOnlySet<int>? adding = null, Func<int, IHostShell>? shells = null)
    {
        sink ??= new ListSink();
        var sessions = new Dictionary<int, HostSession>();
        PlanContext? context = null;
        context = new PlanContext(1, 1, spec, members, removing ?? new HashSet<int>(), new JoinMaterial(), new MemorySecrets(), (id, _) =>
        {
            lock (sessions)
            {
                if (!sessions.TryGetValue(id, out var s))
                {
                    sessions[id] = s = new HostSession(context!.Member(id), context, shells?.Invoke(id) ?? new DryRunHostShell(), sink);
                }

                return Task.FromResult(s);
            }
        }, TimeProvider.System, new ProvisioningOptions(), adding);
        foreach (var (id, state) in states ?? [])
        {
            context.SetFacts(id, null, state);
        }

        return context;
    }

    private static Dictionary<string, int[]> Selection(string plan, PlanContext context) =>
        Catalog.Get(plan).Steps.ToDictionary(s => s.Key, s => s.SelectHosts(context).Select(h => h.HostId).ToArray());

    [Fact]
    public void Create_Seed000_StepsInOrderWithHostsPerRole()
    {
        var (spec, members) = Seed000();
        var plan = Catalog.Get(PlanCatalog.Create);
        Assert.Equal(
            ["connect-hosts", "gather-facts", "check-preflight", "prepare-os", "install-container-runtime", "install-kube-packages",
             "configure-load-balancers", "configure-keepalived", "pull-images", "generate-etcd-certificates", "start-etcd-members",
             "distribute-etcd-client-certificates", "init-first-control-plane", "install-cni", "join-control-planes", "join-workers",
             "fetch-kubeconfig", "verify-cluster"],
            plan.Steps.Select(s => s.Key));
        Assert.Equal(plan.Steps.Count, plan.Steps.Select(s => s.Key).Distinct().Count());

        var hosts = Selection(PlanCatalog.Create, Context(spec, members));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], hosts["prepare-os"]);
        Assert.Equal([8, 9], hosts["configure-load-balancers"]);
        Assert.Equal([8, 9], hosts["configure-keepalived"]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], hosts["pull-images"]);
        Assert.Empty(hosts["generate-etcd-certificates"]);
        Assert.Equal([1], hosts["init-first-control-plane"]);
        Assert.Equal([2, 3], hosts["join-control-planes"]);
        Assert.Equal([4, 5, 6, 7], hosts["join-workers"]);
        Assert.Equal(Fanout.OneAtATime, plan.Steps.Single(s => s.Key == "join-control-planes").Fanout);
        Assert.Equal(Fanout.Parallel, plan.Steps.Single(s => s.Key == "join-workers").Fanout);
    }

    [Fact]
    public void Create_Seed001NodeLocal_HaproxyOnEveryNodeNoKeepalived()
    {
        var (spec, members) = Seed001();
        var hosts = Selection(PlanCatalog.Create, Context(spec, members));
        Assert.Equal([1, 2, 3, 4], hosts["configure-load-balancers"]);
        Assert.Empty(hosts["configure-keepalived"]);
    }

    [Fact]
    public void Create_Seed002ExternalEtcd_EtcdStepsOnEtcdHosts()
    {
        var (spec, members) = Seed002();
        var hosts = Selection(PlanCatalog.Create, Context(spec, members));
        Assert.Equal([1], hosts["generate-etcd-certificates"]);
        Assert.Equal([1, 2, 3], hosts["start-etcd-members"]);
        Assert.Equal([4, 5, 6], hosts["distribute-etcd-client-certificates"]);
        Assert.Equal([4], hosts["init-first-control-plane"]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], hosts["install-kube-packages"]);
        Assert.Equal([8], hosts["configure-load-balancers"]);
    }

    [Fact]
    public void Create_ResumedWhereSecondControlPlaneHasAdminConf_InitHostIsThatOneAndInitSkipped()
    {
        var (spec, members) = Seed004();
        var context = Context(spec, members, states: new() { [2] = new NodeState { HasAdminConf = true, HasKubeletConf = true } });
        var init = Catalog.Get(PlanCatalog.Create).Steps.Single(s => s.Key == "init-first-control-plane");
        Assert.Equal(2, context.InitHost!.HostId);
        Assert.False(init.ShouldRun(context, context.InitHost));
        var join = Catalog.Get(PlanCatalog.Create).Steps.Single(s => s.Key == "join-control-planes");
        Assert.Equal([1, 3], join.SelectHosts(context).Select(h => h.HostId));
    }

    [Fact]
    public void AddNodes_JoinedHostsSkippedByFacts_NoInit()
    {
        var (spec, members) = Seed001();
        var joined = new NodeState { HasKubeletConf = true, HasAdminConf = true };
        var context = Context(spec, members, states: new() { [1] = joined, [2] = joined, [3] = joined });
        var plan = Catalog.Get(PlanCatalog.AddNodes);
        Assert.DoesNotContain(plan.Steps, s => s.Key is "init-first-control-plane" or "install-cni");
        var workers = plan.Steps.Single(s => s.Key == "join-workers");
        Assert.True(workers.ShouldRun(context, members[3]));
        Assert.False(plan.Steps.Single(s => s.Key == "join-control-planes").ShouldRun(context, members[1]));
        Assert.Equal([1, 2, 3, 4], plan.Steps.Single(s => s.Key == "configure-load-balancers").SelectHosts(context).Select(h => h.HostId));
    }

    [Fact]
    public void Reset_OneWorker_DrainsAndResetsItAndUpdatesBalancers()
    {
        var (spec, members) = Seed000();
        var joined = new NodeState { HasKubeletConf = true, HasAdminConf = true };
        var context = Context(spec, members, removing: new HashSet<int> { 5 }, states: new() { [1] = joined, [5] = new NodeState { HasKubeletConf = true } });
        var hosts = Selection(PlanCatalog.Reset, context);
        Assert.Equal([5], hosts["drain-nodes"]);
        Assert.Equal([5], hosts["reset-nodes"]);
        Assert.Equal([8, 9], hosts["configure-load-balancers"]);
    }

    [Fact]
    public async Task Preview_Seed004_WouldRunInitOnceWithSecretsMasked()
    {
        var (spec, members) = Seed004();
        var sink = new ListSink();
        var context = Context(spec, members, sink: sink);
        foreach (var step in Catalog.Get(PlanCatalog.Create).Steps)
        {
            context.CurrentStepKey = step.Key;
            foreach (var host in step.SelectHosts(context))
            {
                var session = await context.SessionAsync(host, CancellationToken.None);
                await step.RunAsync(session, CancellationToken.None);
            }
        }

        var all = sink.Lines;
        Assert.Single(all, l => l.Contains("would run: kubeadm init --config", StringComparison.Ordinal));
        var init = all.FindIndex(l => l.Contains("would run: kubeadm init --config", StringComparison.Ordinal));
        Assert.True(all.FindIndex(init, l => l.Contains("would run: rm -f /etc/kubernetes/kubeha/kubeadm-init.yaml", StringComparison.Ordinal)) > init, "kubeadm-init.yaml (token, certificate key) is deleted after init");
        Assert.Equal(4, all.Count(l => l.Contains("would run: kubeadm join --config", StringComparison.Ordinal)));
        Assert.Contains(all, l => l.StartsWith("would run: haproxy -c -f", StringComparison.Ordinal));
        Assert.Contains(all, l => l.Contains("kubeadm config images pull --kubernetes-version v1.31.2 --cri-socket unix:///var/run/crio/crio.sock", StringComparison.Ordinal));
        Assert.DoesNotContain(all, l => l.Contains(context.Join.BootstrapToken!, StringComparison.Ordinal));
        Assert.DoesNotContain(all, l => l.Contains(context.Join.CertificateKey!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("seed001", true)]
    [InlineData("seed000", false)]
    public async Task Preview_Joins_WaitForNodeLocalHaproxyOnlyInNodeLocalMode(string seed, bool nodeLocal)
    {
        var (spec, members) = seed == "seed001" ? Seed001() : Seed000();
        var sink = new ListSink();
        var context = Context(spec, members, sink: sink);
        foreach (var step in Catalog.Get(PlanCatalog.Create).Steps)
        {
            context.CurrentStepKey = step.Key;
            foreach (var host in step.SelectHosts(context))
            {
                await step.RunAsync(await context.SessionAsync(host, CancellationToken.None), CancellationToken.None);
            }
        }

        var lines = sink.Lines;
        var joins = lines.Count(l => l.Contains("would run: kubeadm join --config", StringComparison.Ordinal));
        var waits = lines.Where(l => l.Contains($"/dev/tcp/127.0.0.1/{spec.ControlPlaneEndpointPort}", StringComparison.Ordinal)).ToList();
        Assert.True(joins > 0);
        Assert.Equal(nodeLocal ? joins : 0, waits.Count);
        if (nodeLocal)
        {
            // Each wait comes before the join it guards: wait, upload, join.
            var indexes = lines.Select((l, i) => (l, i)).Where(x => x.l.Contains("/dev/tcp/127.0.0.1/", StringComparison.Ordinal) || x.l.Contains("would run: kubeadm join", StringComparison.Ordinal)).Select(x => x.l.Contains("/dev/tcp", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, joins).SelectMany(_ => new[] { true, false }), indexes);
            Assert.All(waits, w => Assert.Contains("systemctl start haproxy", w, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Preview_RenewCertificates_Seed000_OneControlPlaneAtATimeOutOfEveryLoadBalancerAndBack()
    {
        var (spec, members) = Seed000();
        var sink = new ListSink();
        var context = Context(spec, members, sink: sink);
        var plan = Catalog.Get(PlanCatalog.RenewCertificates);
        Assert.Equal(["connect-hosts", "gather-facts", "renew-certificates", "fetch-kubeconfig", "verify-cluster"], plan.Steps.Select(s => s.Key));
        var renew = plan.Steps.Single(s => s.Key == "renew-certificates");
        Assert.Equal(Fanout.OneAtATime, renew.Fanout);
        Assert.Equal([1, 2, 3], renew.SelectHosts(context).Select(h => h.HostId));
        foreach (var host in renew.SelectHosts(context))
        {
            await renew.RunAsync(await context.SessionAsync(host, CancellationToken.None), CancellationToken.None);
        }

        // For each control plane in turn: renew, maintenance on both balancers, restart, ready again on both, before the next.
        var order = sink.Lines
            .Select(l => l.Contains("would run: kubeadm certs renew all", StringComparison.Ordinal) ? "renew"
                : l.Contains("state maint | socat", StringComparison.Ordinal) ? "maint " + Server(l)
                : l.Contains("mv /etc/kubernetes/manifests/", StringComparison.Ordinal) ? "restart"
                : l.Contains("state ready | socat", StringComparison.Ordinal) ? "ready " + Server(l)
                : null)
            .OfType<string>().ToList();
        string[] Expected(string node) => ["renew", $"maint {node}", $"maint {node}", "restart", $"ready {node}", $"ready {node}"];
        Assert.Equal(Expected("host1").Concat(Expected("host2")).Concat(Expected("host3")), order);
        Assert.Contains(sink.Lines, l => l.Contains("get --raw=/readyz", StringComparison.Ordinal) && l.Contains("--server https://192.168.56.20:6443", StringComparison.Ordinal));
        Assert.Contains(sink.Lines, l => l.Contains("endpoint health", StringComparison.Ordinal));

        static string Server(string line) => line[(line.IndexOf("kube-apiserver/", StringComparison.Ordinal) + "kube-apiserver/".Length)..].Split(' ')[0];
    }

    internal sealed class ListSink : IRunLogSink
    {
        public List<string> Lines { get; } = [];

        public void Write(string? stepKey, int? hostId, LogStream stream, string text)
        {
            lock (Lines)
            {
                Lines.Add(text);
            }
        }
    }

    internal sealed class MemorySecrets : IClusterSecretsStore
    {
        public JoinMaterial Saved { get; private set; } = new();

        public Task<JoinMaterial> LoadAsync(int clusterId, CancellationToken cancellationToken) => Task.FromResult(Saved);

        public Task SaveAsync(int clusterId, JoinMaterial material, CancellationToken cancellationToken)
        {
            Saved = material;
            return Task.CompletedTask;
        }

        public Task SaveKubeconfigAsync(int clusterId, string kubeconfig, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ClearAsync(int clusterId, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoApi : IClusterApi
    {
        public Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no API in unit tests");
    }
}
