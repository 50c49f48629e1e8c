using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bunit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Persistence;
using KubeHa.Web.Components.Pages.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Pages;

/// <summary>
/// The cluster dashboard rendering health snapshots (from a scripted feed standing in for SSH and the Kubernetes API),
/// and following a live change without a reload.
/// </summary>
public sealed class ClusterPageTests : IAsyncLifetime
{
    private readonly ScriptedHealthFeed _feed = new();
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync(s => s.AddSingleton<IClusterHealthFeed>(_feed));

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Render_HealthySnapshot_ShowsNodesPodsEtcdBackendsAndVipHolder()
    {
        var id = await CreateClusterAsync();
        await StoreKubeconfigAsync(id);
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<ClusterPage>(p => p.Add(x => x.ClusterId, id));
        await _feed.PublishAsync(Snapshot(id, node2Ready: true, node2Backend: "UP"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=node-status]").Count), TimeSpan.FromSeconds(30));
        Assert.Equal("prod", page.Find("[data-testid=cluster-name]").TextContent);
        Assert.All(page.FindAll("[data-testid=node-status]"), n => Assert.Equal("true", n.GetAttribute("data-ready")));
        Assert.Contains("v1.31.2", page.Find("[data-testid=nodes-table]").TextContent, StringComparison.Ordinal);
        Assert.Contains("10.77.0.12", page.Find("[data-testid=nodes-table]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=control-plane-pod]"));
        Assert.Equal("true", page.Find("[data-testid=etcd-member]").GetAttribute("data-healthy"));
        var chips = page.FindAll("[data-testid=backend-chip]");
        Assert.Equal(["Up", "Up"], chips.Select(c => c.GetAttribute("data-state")));
        Assert.Contains("L7OK", chips[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("held by lb1", page.Find("[data-testid=vip-holder]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=kubeconfig-download]")); // signed in as an operator
    }

    [Fact]
    public async Task Render_NoKubeconfigStored_OffersNoDownload()
    {
        var id = await CreateClusterAsync();
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<ClusterPage>(p => p.Add(x => x.ClusterId, id));

        page.WaitForAssertion(() => Assert.Equal("prod", page.Find("[data-testid=cluster-name]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=kubeconfig-download]"));
    }

    [Fact]
    public async Task Members_RemoveAndAdd_RefusalsShownWithTheGuardsReasonNothingQueued()
    {
        var id = await CreateClusterAsync();
        var spare = (await _ctx.AddHostsAsync("spare"))[0]; // checked, but no facts gathered
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Clusters.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Healthy));
        }

        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<ClusterPage>(p => p.Add(x => x.ClusterId, id));
        await _feed.PublishAsync(Snapshot(id, node2Ready: true, node2Backend: "UP"));
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=member]").Count), TimeSpan.FromSeconds(30));
        Assert.Equal(["lb1", "node1", "node2", "node3"], page.FindAll("[data-testid=member]").Select(r => r.GetAttribute("data-host")));

        // node3 of three stacked members: 2 would be even; the Operator is asked for the name, then told only an Admin may.
        page.Find("[data-testid=member][data-host=node3] [data-testid=member-remove]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=members-remove-confirm]"));
        page.Find("[data-testid=members-remove-start]").Click();
        page.WaitForAssertion(() => Assert.Contains("2-member cluster needs 2 for quorum", page.Find("[data-testid=members-refused]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=members-remove-name]").Change("prod");
        page.Find("[data-testid=members-remove-start]").Click();
        page.WaitForAssertion(() => Assert.Contains("Only an Admin may confirm", page.Find("[data-testid=members-refused]").TextContent, StringComparison.Ordinal));

        // Add: the free checked host is offered; without facts it is refused with the reason.
        page.Find("[data-testid=members-add]").Click();
        page.WaitForAssertion(() => Assert.Equal("spare", page.Find("[data-testid=members-add-host]").GetAttribute("data-host")));
        page.Find("[data-testid=members-add-host] [data-testid=members-add-worker]").Change(true);
        page.Find("[data-testid=members-add-start]").Click();
        page.WaitForAssertion(() => Assert.Contains("spare has no successful check", page.Find("[data-testid=members-refused]").TextContent, StringComparison.Ordinal));

        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(0, await check.Runs.CountAsync(r => r.ClusterId == id));
        Assert.DoesNotContain(await check.ClusterNodes.Where(n => n.ClusterId == id).Select(n => n.HostId).ToListAsync(), h => h == spare);
    }

    private async Task StoreKubeconfigAsync(int clusterId)
    {
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedKubeconfig, "protected"));
    }

    [Fact]
    public async Task LiveSnapshot_ApiserverKilled_ShowsDownBackendAndNotReadyNodeWithoutReload()
    {
        var id = await CreateClusterAsync();
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<ClusterPage>(p => p.Add(x => x.ClusterId, id));
        await _feed.PublishAsync(Snapshot(id, node2Ready: true, node2Backend: "UP"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-state=Up]").Count));

        await _feed.PublishAsync(Snapshot(id, node2Ready: false, node2Backend: "DOWN"));

        page.WaitForAssertion(() => Assert.Equal("Down", page.Find("[data-server=node2]").GetAttribute("data-state")));
        Assert.Equal("false", page.Find("[data-node=node2]").GetAttribute("data-ready"));
        Assert.Contains("Ready=Unknown", page.Find("[data-testid=nodes-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveSnapshot_ProvisionedClusterLosesANode_StatusChipTurnsDegradedWithReasons()
    {
        var id = await CreateClusterAsync();
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Clusters.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Healthy));
        }

        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<ClusterPage>(p => p.Add(x => x.ClusterId, id));
        await _feed.PublishAsync(Snapshot(id, node2Ready: true, node2Backend: "UP"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-state=Up]").Count));
        Assert.Equal("Healthy", page.Find("[data-testid=cluster-status]").GetAttribute("data-status"));
        Assert.Empty(page.FindAll("[data-testid=cluster-degraded]"));

        await _feed.PublishAsync(Snapshot(id, node2Ready: false, node2Backend: "DOWN"));

        page.WaitForAssertion(() => Assert.Equal("Degraded", page.Find("[data-testid=cluster-status]").GetAttribute("data-status")));
        Assert.Equal("node2 NotReady · lb1: node2 DOWN", page.Find("[data-testid=cluster-degraded]").TextContent);

        await _feed.PublishAsync(Snapshot(id, node2Ready: true, node2Backend: "UP"));

        page.WaitForAssertion(() => Assert.Equal("Healthy", page.Find("[data-testid=cluster-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=cluster-degraded]"));
    }

    [Fact]
    public async Task Dispose_Page_CancelsItsSubscription()
    {
        var id = await CreateClusterAsync();
        var page = _ctx.Bunit.Render<ClusterPage>(p => p.Add(x => x.ClusterId, id));
        page.WaitForAssertion(() => Assert.Equal(1, _feed.Subscribers));

        await page.Instance.DisposeAsync();

        Assert.Equal(0, _feed.Subscribers);
    }

    private async Task<int> CreateClusterAsync()
    {
        var hosts = await _ctx.AddHostsAsync("node1", "node2", "node3", "lb1");
        var catalog = _ctx.Services.GetRequiredService<ClusterCatalog>();
        var created = await catalog.CreateAsync(new ClusterDraft("prod", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.KeepalivedVip, VirtualIp = "10.7.0.100" },
        [
            new HostRoles(hosts[0], new HashSet<NodeRole> { NodeRole.ControlPlane }),
            new HostRoles(hosts[1], new HashSet<NodeRole> { NodeRole.ControlPlane }),
            new HostRoles(hosts[2], new HashSet<NodeRole> { NodeRole.ControlPlane }),
            new HostRoles(hosts[3], new HashSet<NodeRole> { NodeRole.LoadBalancer }),
        ]), default);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Message)));
        return created.ClusterId!.Value;
    }

    private static ClusterHealthSnapshot Snapshot(int id, bool node2Ready, string node2Backend)
    {
        var at = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        NodeHealth Node(string name, string ip, bool ready) => new(name, ready, ["control-plane"], "v1.31.2", ip,
            [new NodeCondition("Ready", ready ? "True" : "Unknown", ready ? "KubeletReady" : "NodeStatusUnknown", "", at)], 5);
        var kubernetes = new KubernetesHealth(
            [Node("node1", "10.77.0.11", true), Node("node2", "10.77.0.12", node2Ready)],
            [new ControlPlanePod("kube-apiserver-node1", "kube-apiserver", "node1", "Running", true, 0)],
            new Uri("https://10.7.0.100:6443"), null, false);
        var servers = new List<HaproxyServerStatus>
        {
            new("kube-apiserver", "node1", "UP", "L7OK", "HTTP status 200", 120, 3, 40, "10.77.0.11:6443"),
            new("kube-apiserver", "node2", node2Backend, node2Backend == "UP" ? "L7OK" : "L4CON", "", 2, 0, 12, "10.77.0.12:6443"),
        };
        var etcd = new EtcdHealth("node1", [new EtcdMember("8e9e05c52164694d", "node1", true, "https://10.77.0.11:2380", "https://10.77.0.11:2379", false, true, "took = 2ms")], null);
        return new ClusterHealthSnapshot(id, at, kubernetes, [new LoadBalancerHealth(3, "lb1", "10.7.0.3", servers, true, null, at)], etcd, "10.7.0.100") { Settled = true };
    }

    private sealed class ScriptedHealthFeed : IClusterHealthFeed
    {
        private readonly Channel<ClusterHealthSnapshot> _snapshots = Channel.CreateUnbounded<ClusterHealthSnapshot>();
        private int _subscribers;

        public int Subscribers => Volatile.Read(ref _subscribers);

        public ValueTask PublishAsync(ClusterHealthSnapshot snapshot) => _snapshots.Writer.WriteAsync(snapshot);

        public async IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _subscribers);
            try
            {
                await foreach (var snapshot in _snapshots.Reader.ReadAllAsync(cancellationToken))
                {
                    yield return snapshot;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _subscribers);
            }
        }

        public Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
