using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using KubeHa.Agent;
using KubeHa.Agent.Health;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.IntegrationTests.Provisioning;
using KubeHa.Testing.LoadBalancing;
using KubeHa.Testing.Ssh;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>
/// The health monitor over the real feed: a SQLite catalog file, a real HAProxy read over real SSH, nodes from the real
/// KubernetesClient watching <see cref="SimulatedKubernetesApi"/>. Only etcd is stood in for (no etcd runs behind these
/// hosts): <see cref="HealthyEtcd"/> reports one healthy member on the real feed's snapshots.
/// </summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterHealthMonitorTests(SshdFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CheckAsync_DashboardWatchingAndApiserverKilledThenRestarted_StoresDegradedThenHealthyOverTheDashboardsConnections()
    {
        using var cts = new CancellationTokenSource(Deadline);
        await using var db = await LedgerDatabase.CreateAsync();
        await using var api = new SimulatedKubernetesApi(
            [SimulatedKubernetesApi.Node("cp1", ready: true, "10.9.0.1", "10", controlPlane: true)],
            [SimulatedKubernetesApi.Pod("kube-system", "kube-apiserver-cp1", "cp1", "kube-apiserver")]);
        var apiserver = new TcpListener(IPAddress.Loopback, 0);
        apiserver.Start();
        var apiserverPort = ((IPEndPoint)apiserver.LocalEndpoint).Port;
        await using var haproxy = await HaproxyProcess.StartAsync([("cp1", apiserverPort)], maintLast: false, cts.Token);
        var spec = new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy, ControlPlaneEndpointHost = "127.0.0.1", ControlPlaneEndpointPort = api.Endpoint.Port };
        var clusterId = await db.AddClusterAsync(spec, [("cp1", NodeRole.ControlPlane), ("lb1", NodeRole.LoadBalancer)]);
        await db.Secrets.SaveKubeconfigAsync(clusterId, SimulatedKubernetesApi.Kubeconfig(api.Endpoint), cts.Token);
        await SetStatusAsync(db, clusterId, ClusterStatus.Healthy);
        var shells = new SshdShellFactory(fixture);
        var feed = Feed(db, haproxy.StatsSocket, shells);
        var monitor = Monitor(db, feed, out _);
        await using var dashboard = feed.WatchAsync(clusterId, cts.Token).GetAsyncEnumerator(cts.Token); // an open dashboard
        Assert.True(await dashboard.MoveNextAsync());

        var healthy = await CheckUntilAsync(monitor, db, clusterId, ClusterStatus.Healthy, cts.Token);
        Assert.True(healthy.Recorded);
        Assert.False(healthy.TurnedDegraded);
        var stored = await ReadAsync(db, clusterId);
        Assert.NotNull(stored.HealthCheckedAt);
        Assert.Null(stored.HealthReasons);

        apiserver.Stop();
        api.SendNodeEvent("MODIFIED", SimulatedKubernetesApi.Node("cp1", ready: false, "10.9.0.1", "11", controlPlane: true));
        var outcomes = new List<HealthRecordOutcome>();
        var degraded = await CheckUntilAsync(monitor, db, clusterId, ClusterStatus.Degraded, cts.Token, o => o.Reasons.Any(r => r.EndsWith(": cp1 DOWN", StringComparison.Ordinal)), outcomes);

        Assert.True(outcomes.First(o => o.Current == ClusterStatus.Degraded).TurnedDegraded); // the first degraded check is the transition
        Assert.DoesNotContain(outcomes.SkipWhile(o => !o.TurnedDegraded).Skip(1), o => o.TurnedDegraded); // later ones stay degraded
        Assert.Contains("cp1 NotReady", degraded.Reasons);
        var summary = (await Catalog(db).ListAsync(cts.Token)).Single();
        Assert.Equal(ClusterStatus.Degraded, summary.Status);
        Assert.Contains("cp1 NotReady", summary.HealthReasons!);

        var restarted = new TcpListener(IPAddress.Loopback, apiserverPort);
        restarted.Start();
        try
        {
            api.SendNodeEvent("MODIFIED", SimulatedKubernetesApi.Node("cp1", ready: true, "10.9.0.1", "12", controlPlane: true));
            var recovered = await CheckUntilAsync(monitor, db, clusterId, ClusterStatus.Healthy, cts.Token);

            Assert.True(recovered.Recovered);
            Assert.Empty(recovered.Reasons);
            Assert.Empty((await Catalog(db).ListAsync(cts.Token)).Single().HealthReasons!);
            Assert.Equal(2, shells.Opened); // lb1 and cp1 (etcd), the dashboard's: the checks opened none of their own
        }
        finally
        {
            restarted.Stop();
        }
    }

    [Fact]
    public async Task CheckAllAsync_LoadBalancerUnreadable_StoresItAsDegradationWithoutThrowing()
    {
        using var cts = new CancellationTokenSource(Deadline);
        await using var db = await LedgerDatabase.CreateAsync();
        var clusterId = await db.AddClusterAsync(new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy }, [("cp1", NodeRole.ControlPlane), ("lb1", NodeRole.LoadBalancer)]);
        await SetStatusAsync(db, clusterId, ClusterStatus.Healthy);
        var monitor = Monitor(db, Feed(db, "/run/kubeha-test-none/admin.sock"), out var events);
        var published = new List<int>();
        events.HealthRecorded += published.Add;

        var outcome = Assert.Single(await monitor.CheckAllAsync(cts.Token));

        Assert.True(outcome.TurnedDegraded);
        Assert.Contains(outcome.Reasons, r => r.EndsWith(" unreadable", StringComparison.Ordinal) && r.StartsWith("lb1", StringComparison.Ordinal));
        Assert.Equal(ClusterStatus.Degraded, (await ReadAsync(db, clusterId)).Status);
        Assert.Equal([clusterId], published);
    }

    [Fact]
    public async Task CheckAsync_RunClaimsClusterDuringCheck_RunStatusIsNotOverwritten()
    {
        using var cts = new CancellationTokenSource(Deadline);
        await using var db = await LedgerDatabase.CreateAsync();
        var clusterId = await db.AddClusterAsync(new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy }, [("cp1", NodeRole.ControlPlane), ("lb1", NodeRole.LoadBalancer)]);
        await SetStatusAsync(db, clusterId, ClusterStatus.Healthy);
        var claimingFeed = new ClaimingFeed(Feed(db, "/run/kubeha-test-none/admin.sock"), db.Factory);
        var monitor = Monitor(db, claimingFeed, out _);
        var listed = Assert.Single(await new ClusterHealthRecorder(db.Factory, new ClusterHealthEvents()).ListMonitoredAsync(cts.Token));

        var outcome = await monitor.CheckAsync(listed, cts.Token);

        Assert.False(outcome.Recorded);
        var stored = await ReadAsync(db, clusterId);
        Assert.Equal(ClusterStatus.Provisioning, stored.Status);
        Assert.Null(stored.HealthCheckedAt);
        Assert.Empty(await new ClusterHealthRecorder(db.Factory, new ClusterHealthEvents()).ListMonitoredAsync(cts.Token));
    }

    [Theory]
    [InlineData(ClusterStatus.Failed, null)]
    [InlineData(ClusterStatus.Provisioning, 7L)]
    [InlineData(ClusterStatus.Healthy, 7L)]
    [InlineData(ClusterStatus.Draft, null)]
    public async Task RecordAsync_NotProvisionedOrHeldByRun_LeavesStatusAsIs(ClusterStatus status, long? activeRunId)
    {
        await using var db = await LedgerDatabase.CreateAsync();
        var clusterId = await db.AddClusterAsync(new ClusterSpec(), [("cp1", NodeRole.ControlPlane)]);
        await using (var ctx = await db.Factory.CreateDbContextAsync())
        {
            await ctx.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status).SetProperty(c => c.ActiveRunId, activeRunId));
        }

        var recorder = new ClusterHealthRecorder(db.Factory, new ClusterHealthEvents());

        var outcome = await recorder.RecordAsync(clusterId, ["cp1 NotReady"], DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.False(outcome.Recorded);
        var stored = await ReadAsync(db, clusterId);
        Assert.Equal(status, stored.Status);
        Assert.Null(stored.HealthReasons);
        Assert.Empty(await recorder.ListMonitoredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CheckAllAsync_SharedDatabase_ChecksOnlyClustersOfServedZones()
    {
        using var cts = new CancellationTokenSource(Deadline);
        await using var db = await LedgerDatabase.CreateAsync();
        var served = await db.AddClusterAsync(new ClusterSpec(), [("cp1", NodeRole.ControlPlane)]);
        var other = await db.AddClusterAsync(new ClusterSpec(), [("cp2", NodeRole.ControlPlane)]);
        await using (var ctx = await db.Factory.CreateDbContextAsync())
        {
            await ctx.Clusters.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Healthy));
            await ctx.Clusters.Where(c => c.Id == served).ExecuteUpdateAsync(s => s.SetProperty(c => c.Zone, "dc-east"));
            await ctx.Clusters.Where(c => c.Id == other).ExecuteUpdateAsync(s => s.SetProperty(c => c.Zone, "dc-west"));
        }

        var feed = new RecordingFeed();
        var monitor = new ClusterHealthMonitor(
            new ClusterHealthRecorder(db.Factory, new ClusterHealthEvents()),
            feed,
            Options.Create(new AgentOptions { Queues = ["dc-east"], HealthProbeTimeout = TimeSpan.FromSeconds(5) }),
            Options.Create(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql }),
            TimeProvider.System,
            NullLogger<ClusterHealthMonitor>.Instance);

        await monitor.CheckAllAsync(cts.Token);

        Assert.Equal([served], feed.Read);
    }

    [Fact]
    public async Task CheckAsync_FeedThrows_StoredAsDegradationAndTheNextCheckStillRuns()
    {
        await using var db = await LedgerDatabase.CreateAsync();
        var clusterId = await db.AddClusterAsync(new ClusterSpec(), [("cp1", NodeRole.ControlPlane)]);
        await SetStatusAsync(db, clusterId, ClusterStatus.Healthy);
        var monitor = Monitor(db, new ThrowingFeed(), out _);

        var first = Assert.Single(await monitor.CheckAllAsync(CancellationToken.None));
        var second = Assert.Single(await monitor.CheckAllAsync(CancellationToken.None));

        Assert.True(first.TurnedDegraded);
        Assert.Equal(["health check failed (IOException)"], first.Reasons);
        Assert.Equal(ClusterStatus.Degraded, second.Current);
        Assert.Equal("health check failed (IOException)", (await ReadAsync(db, clusterId)).HealthReasons);
    }

    [Fact]
    public void Reasons_SnapshotNotSettledInTime_NamesTheSilentBalancer()
    {
        var snapshot = new ClusterHealthSnapshot(1, DateTimeOffset.UnixEpoch, KubeHa.Core.Kubernetes.KubernetesHealth.Connecting,
            [new LoadBalancerHealth(7, "lb1", "10.9.0.7", [], null, null)], EtcdHealth.Unknown, null) { Settled = false };

        var reasons = ClusterHealthMonitor.Reasons(snapshot, TimeSpan.FromSeconds(20));

        Assert.Equal(["no answer within 20 s from lb1"], reasons);
    }

    private static async Task<HealthRecordOutcome> CheckUntilAsync(
        ClusterHealthMonitor monitor, LedgerDatabase db, int clusterId, ClusterStatus expected, CancellationToken cancellationToken, Func<HealthRecordOutcome, bool>? also = null, List<HealthRecordOutcome>? all = null)
    {
        var cluster = new MonitoredCluster(clusterId, "test", null, ClusterStatus.Healthy);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await monitor.CheckAsync(cluster, cancellationToken);
            all?.Add(outcome);
            if (outcome.Recorded && outcome.Current == expected && (also is null || also(outcome)) && (await ReadAsync(db, clusterId)).Status == expected)
            {
                return outcome;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken); // poll interval (bounded by the test's deadline)
        }
    }

    private static ClusterHealthMonitor Monitor(LedgerDatabase db, IClusterHealthFeed feed, out ClusterHealthEvents events)
    {
        events = new ClusterHealthEvents();
        return new ClusterHealthMonitor(
            new ClusterHealthRecorder(db.Factory, events),
            feed,
            Options.Create(new AgentOptions { HealthProbeTimeout = TimeSpan.FromSeconds(10) }),
            Options.Create(new DatabaseOptions()),
            TimeProvider.System,
            NullLogger<ClusterHealthMonitor>.Instance);
    }

    private HealthyEtcd Feed(LedgerDatabase db, string statsSocket, SshdShellFactory? shells = null) => new(new ClusterHealthFeed(
        Catalog(db),
        new KubeconfigReader(db.Factory, db.Protector),
        new ClusterHealthFeedTests.PlainHttpWatcher(),
        shells ?? new SshdShellFactory(fixture),
        TimeProvider.System,
        Options.Create(new ClusterHealthOptions { PollInterval = TimeSpan.FromMilliseconds(200), StatsSocket = statsSocket }),
        NullLogger<ClusterHealthFeed>.Instance));

    private static ClusterCatalog Catalog(LedgerDatabase db) =>
        new(db.Factory, new ClusterHealthFeedTests.NoScheduler(), new PlanPreviewer(db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);

    private static async Task SetStatusAsync(LedgerDatabase db, int clusterId, ClusterStatus status)
    {
        await using var ctx = await db.Factory.CreateDbContextAsync();
        await ctx.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status));
    }

    private static async Task<Cluster> ReadAsync(LedgerDatabase db, int clusterId)
    {
        await using var ctx = await db.Factory.CreateDbContextAsync();
        return await ctx.Clusters.AsNoTracking().SingleAsync(c => c.Id == clusterId);
    }

    /// <summary>The real feed, with etcd reported healthy (no etcd runs behind the test hosts).</summary>
    private sealed class HealthyEtcd(ClusterHealthFeed inner) : IClusterHealthFeed
    {
        public async IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var snapshot in inner.WatchAsync(clusterId, cancellationToken))
            {
                yield return Fix(snapshot);
            }
        }

        public async Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken) =>
            await inner.ReadAsync(clusterId, timeout, cancellationToken) is { } snapshot ? Fix(snapshot) : null;

        private static ClusterHealthSnapshot Fix(ClusterHealthSnapshot snapshot) =>
            snapshot with { Etcd = new EtcdHealth("cp1", [new EtcdMember("1", "cp1", true, "https://10.9.0.1:2380", "https://10.9.0.1:2379", false, true, null)], null) };
    }

    /// <summary>A run claims the cluster (Provisioning, ActiveRunId set) while the real feed is being read.</summary>
    private sealed class ClaimingFeed(IClusterHealthFeed inner, IDbContextFactory<KubeHaDbContext> factory) : IClusterHealthFeed
    {
        public IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, CancellationToken cancellationToken) => inner.WatchAsync(clusterId, cancellationToken);

        public async Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var snapshot = await inner.ReadAsync(clusterId, timeout, cancellationToken);
            await using var ctx = await factory.CreateDbContextAsync(cancellationToken);
            await ctx.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(
                s => s.SetProperty(c => c.ActiveRunId, 99L).SetProperty(c => c.Status, ClusterStatus.Provisioning), cancellationToken);
            return snapshot;
        }
    }

    /// <summary>A check that fails outright (as a broken connection would).</summary>
    private sealed class ThrowingFeed : IClusterHealthFeed
    {
        public IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, CancellationToken cancellationToken) => throw new IOException("connection reset");

        public Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken) => throw new IOException("connection reset");
    }

    /// <summary>Records which clusters were read; answers "cluster gone".</summary>
    private sealed class RecordingFeed : IClusterHealthFeed
    {
        public List<int> Read { get; } = [];

        public IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, CancellationToken cancellationToken) => AsyncEnumerable.Empty<ClusterHealthSnapshot>();

        public Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (Read)
            {
                Read.Add(clusterId);
            }

            return Task.FromResult<ClusterHealthSnapshot?>(null);
        }
    }
}
