using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.IntegrationTests.Provisioning;
using KubeHa.Testing.LoadBalancing;
using KubeHa.Testing.Ssh;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>
/// The whole feed: a cluster in a real SQLite catalog with its kubeconfig stored encrypted, a real HAProxy read over real
/// SSH, nodes from the real KubernetesClient watching <see cref="SimulatedKubernetesApi"/>. Killing the "apiserver" (its
/// backend socket closes, its node goes NotReady) shows in the stream as a DOWN backend and a NotReady node.
/// </summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterHealthFeedTests(SshdFixture fixture)
{
    [Fact]
    public async Task WatchAsync_ApiserverKilled_StreamsDownBackendAndNotReadyNode()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var db = await LedgerDatabase.CreateAsync();
        await using var api = new SimulatedKubernetesApi(
            [SimulatedKubernetesApi.Node("cp1", ready: true, "10.9.0.1", "10", controlPlane: true)],
            [SimulatedKubernetesApi.Pod("kube-system", "kube-apiserver-cp1", "cp1", "kube-apiserver")]);
        var apiserver = new TcpListener(IPAddress.Loopback, 0);
        apiserver.Start();
        await using var haproxy = await HaproxyProcess.StartAsync([("cp1", ((IPEndPoint)apiserver.LocalEndpoint).Port)], maintLast: false, cts.Token);
        var spec = new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy, ControlPlaneEndpointHost = "127.0.0.1", ControlPlaneEndpointPort = api.Endpoint.Port };
        var clusterId = await db.AddClusterAsync(spec, [("cp1", NodeRole.ControlPlane), ("lb1", NodeRole.LoadBalancer)]);
        await db.Secrets.SaveKubeconfigAsync(clusterId, SimulatedKubernetesApi.Kubeconfig(api.Endpoint), cts.Token);
        var catalog = new ClusterCatalog(db.Factory, new NoScheduler(), new PlanPreviewer(db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var feed = new ClusterHealthFeed(catalog, new KubeconfigReader(db.Factory, db.Protector), new PlainHttpWatcher(), new SshdShellFactory(fixture), TimeProvider.System, Options(haproxy.StatsSocket), NullLogger<ClusterHealthFeed>.Instance);
        await using var stream = feed.WatchAsync(clusterId, cts.Token).GetAsyncEnumerator(cts.Token);

        var healthy = await NextAsync(stream, s => Node(s)?.Ready == true && Backend(s)?.State == HaproxyServerState.Up && s.Settled);
        Assert.Equal(new Uri($"https://127.0.0.1:{api.Endpoint.Port}"), healthy.Kubernetes.Endpoint);
        Assert.Single(healthy.Kubernetes.ControlPlanePods);
        Assert.Null(healthy.VirtualIp);
        Assert.NotNull(healthy.Etcd.Error); // no etcd behind these hosts: reported, not thrown

        apiserver.Stop();
        api.SendNodeEvent("MODIFIED", SimulatedKubernetesApi.Node("cp1", ready: false, "10.9.0.1", "11", controlPlane: true));
        var killed = await NextAsync(stream, s => Node(s)?.Ready == false && Backend(s)?.State == HaproxyServerState.Down);

        Assert.Equal("L4CON", Backend(killed)!.CheckStatus);
        Assert.Null(killed.LoadBalancers[0].Error);
    }

    [Fact]
    public async Task WatchAsync_TwoSubscribers_ShareOneConnectionPerHostAndCloseAfterTheLast()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var db = await LedgerDatabase.CreateAsync();
        var clusterId = await db.AddClusterAsync(new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy }, [("cp1", NodeRole.ControlPlane), ("lb1", NodeRole.LoadBalancer)]);
        var catalog = new ClusterCatalog(db.Factory, new NoScheduler(), new PlanPreviewer(db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var shells = new SshdShellFactory(fixture);
        var feed = new ClusterHealthFeed(catalog, new KubeconfigReader(db.Factory, db.Protector), new PlainHttpWatcher(), shells, TimeProvider.System, Options("/run/kubeha-test-none/admin.sock"), NullLogger<ClusterHealthFeed>.Instance);

        await using (var first = feed.WatchAsync(clusterId, cts.Token).GetAsyncEnumerator(cts.Token))
        await using (var second = feed.WatchAsync(clusterId, cts.Token).GetAsyncEnumerator(cts.Token))
        {
            var a = await NextAsync(first, s => s.Settled);
            var b = await NextAsync(second, s => s.Settled);

            Assert.Contains("No admin kubeconfig", a.Kubernetes.Error, StringComparison.Ordinal);
            Assert.Contains("did not answer", b.LoadBalancers.Single().Error, StringComparison.Ordinal);
            Assert.Equal(2, shells.Opened); // lb1 and cp1 (etcd), once for both subscribers
        }

        await using var again = feed.WatchAsync(clusterId, cts.Token).GetAsyncEnumerator(cts.Token);
        await NextAsync(again, s => s.Settled);
        Assert.Equal(4, shells.Opened); // the last subscriber left: a new one starts afresh
    }

    [Fact]
    public async Task ReadAsync_RepeatedWhileNobodyWatches_AnsweredFromRecentReadingWithoutNewConnections()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var db = await LedgerDatabase.CreateAsync();
        var clusterId = await db.AddClusterAsync(new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy }, [("cp1", NodeRole.ControlPlane), ("lb1", NodeRole.LoadBalancer)]);
        var catalog = new ClusterCatalog(db.Factory, new NoScheduler(), new PlanPreviewer(db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var shells = new SshdShellFactory(fixture);
        var feed = new ClusterHealthFeed(catalog, new KubeconfigReader(db.Factory, db.Protector), new PlainHttpWatcher(), shells, TimeProvider.System, Options("/run/kubeha-test-none/admin.sock", readCache: TimeSpan.FromMinutes(1)), NullLogger<ClusterHealthFeed>.Instance);

        var first = await feed.ReadAsync(clusterId, TimeSpan.FromSeconds(30), cts.Token);
        Assert.True(first!.Settled);
        Assert.Equal(2, shells.Opened); // lb1 and cp1 (etcd)

        for (var i = 0; i < 5; i++)
        {
            Assert.Same(first, await feed.ReadAsync(clusterId, TimeSpan.FromSeconds(30), cts.Token));
        }

        Assert.Equal(2, shells.Opened); // five more GETs, no new SSH session
    }

    [Fact]
    public async Task ReadAsync_UnknownCluster_ReturnsNull()
    {
        await using var db = await LedgerDatabase.CreateAsync();
        var catalog = new ClusterCatalog(db.Factory, new NoScheduler(), new PlanPreviewer(db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var feed = new ClusterHealthFeed(catalog, new KubeconfigReader(db.Factory, db.Protector), new PlainHttpWatcher(), new SshdShellFactory(fixture), TimeProvider.System, Options("/run/kubeha-test-none/admin.sock"), NullLogger<ClusterHealthFeed>.Instance);

        Assert.Null(await feed.ReadAsync(424242, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    private static IOptions<ClusterHealthOptions> Options(string statsSocket, TimeSpan? readCache = null) =>
        Microsoft.Extensions.Options.Options.Create(new ClusterHealthOptions { PollInterval = TimeSpan.FromMilliseconds(200), StatsSocket = statsSocket, ReadCacheDuration = readCache ?? TimeSpan.Zero });

    private static NodeHealth? Node(ClusterHealthSnapshot s) => s.Kubernetes.Nodes.FirstOrDefault(n => n.Name == "cp1");

    private static HaproxyServerStatus? Backend(ClusterHealthSnapshot s) => s.LoadBalancers.SingleOrDefault()?.Servers.FirstOrDefault(b => b.Server == "cp1");

    private static async Task<ClusterHealthSnapshot> NextAsync(IAsyncEnumerator<ClusterHealthSnapshot> stream, Func<ClusterHealthSnapshot, bool> condition)
    {
        while (await stream.MoveNextAsync())
        {
            if (condition(stream.Current))
            {
                return stream.Current;
            }
        }

        throw new InvalidOperationException("The feed ended.");
    }

    /// <summary>The simulated API serves plain HTTP: the real watcher, with the endpoints' scheme turned to http.</summary>
    internal sealed class PlainHttpWatcher : IKubernetesHealthWatcher
    {
        private readonly KubernetesHealthWatcher _inner = new(TimeProvider.System);

        public async IAsyncEnumerable<KubernetesHealth> WatchAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var plain = endpoints.Select(e => new UriBuilder(e) { Scheme = "http", Port = e.Port }.Uri).ToList();
            await foreach (var health in _inner.WatchAsync(kubeconfig, plain, cancellationToken))
            {
                yield return health with { Endpoint = health.Endpoint is null ? null : endpoints[plain.IndexOf(health.Endpoint)] };
            }
        }
    }

    internal sealed class NoScheduler : IRunScheduler
    {
        public Task<long> StartAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ResumeAsync(long runId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelAsync(long runId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
