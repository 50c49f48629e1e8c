using Bunit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Persistence;
using KubeHa.Web.Components.Pages.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Pages;

/// <summary>
/// The clusters list showing the status the health monitor stored (real recorder, real SQLite file): a degraded chip
/// with its reasons as a tooltip and how long ago it was checked, updated live when a check is stored.
/// </summary>
public sealed class ClustersPageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync(s => s.AddSingleton<TimeProvider>(new FixedTime(Now)));

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task HealthRecorded_ProvisionedClusterTurnsDegraded_ChipShowsDegradedWithReasonsTooltipAndCheckedAgo()
    {
        var id = await CreateProvisionedClusterAsync();
        var recorder = _ctx.Services.GetRequiredService<ClusterHealthRecorder>();
        await recorder.RecordAsync(id, [], Now.AddSeconds(-5), default);
        var providers = _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<ClustersPage>();
        page.WaitForAssertion(() => Assert.Equal("Healthy", page.Find("[data-testid=cluster-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=cluster-health-reasons]"));
        Assert.Equal("checked 5 s ago", page.Find("[data-testid=cluster-health-checked]").TextContent.Trim());

        await recorder.RecordAsync(id, ["node2 NotReady", "lb1: node2 DOWN"], Now.AddSeconds(-42), default); // no reload: the page follows

        page.WaitForAssertion(() => Assert.Equal("Degraded", page.Find("[data-testid=cluster-status]").GetAttribute("data-status")));
        var reasons = page.Find("[data-testid=cluster-health-reasons]");
        Assert.Equal("node2 NotReady · lb1: node2 DOWN", reasons.GetAttribute("data-reasons"));
        Assert.Equal("Degraded: node2 NotReady · lb1: node2 DOWN", reasons.GetAttribute("aria-label"));
        Assert.Equal("checked 42 s ago", page.Find("[data-testid=cluster-health-checked]").TextContent.Trim());

        await page.Find(".mud-tooltip-root").TriggerEventAsync("onpointerenter", new Microsoft.AspNetCore.Components.Web.PointerEventArgs());
        providers.WaitForAssertion(() => Assert.Contains("node2 NotReady · lb1: node2 DOWN", providers.Find(".mud-tooltip").TextContent, StringComparison.Ordinal));

        await recorder.RecordAsync(id, [], Now, default);

        page.WaitForAssertion(() => Assert.Equal("Healthy", page.Find("[data-testid=cluster-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=cluster-health-reasons]"));
    }

    [Fact]
    public async Task Render_ClusterNeverProvisioned_NoCheckedAgo()
    {
        await CreateClusterAsync();
        var page = _ctx.Bunit.Render<ClustersPage>();

        page.WaitForAssertion(() => Assert.Equal("Draft", page.Find("[data-testid=cluster-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=cluster-health-checked]"));
    }

    [Fact]
    public async Task List_SeveralClustersWithRuns_EachWithItsOwnMembersAndNewestRun()
    {
        var hosts = await _ctx.AddHostsAsync("a-cp1", "a-cp2", "a-cp3", "a-lb", "b-cp1", "b-w1", "b-lb");
        var catalog = _ctx.Services.GetRequiredService<ClusterCatalog>();
        var plans = _ctx.Services.GetRequiredService<KubeHa.Core.Provisioning.Plans.IPlanCatalog>();
        var ledger = _ctx.Services.GetRequiredService<KubeHa.Core.Runs.RunLedger>();
        HostRoles Role(int i, NodeRole role) => new(hosts[i], new HashSet<NodeRole> { role });
        var a = (await catalog.CreateAsync(new ClusterDraft("alpha", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
            [Role(0, NodeRole.ControlPlane), Role(1, NodeRole.ControlPlane), Role(2, NodeRole.ControlPlane), Role(3, NodeRole.LoadBalancer)]), default)).ClusterId!.Value;
        var b = (await catalog.CreateAsync(new ClusterDraft("beta", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
            [Role(4, NodeRole.ControlPlane), Role(5, NodeRole.Worker), Role(6, NodeRole.LoadBalancer)]), default)).ClusterId!.Value;
        var create = plans.Get(KubeHa.Core.Provisioning.Plans.PlanCatalog.Create);
        await ledger.CreateRunAsync(a, create, null, null, default);
        var newest = await ledger.CreateRunAsync(a, create, null, null, default);

        var list = await catalog.ListAsync(default);

        Assert.Equal(["alpha", "beta"], list.Select(c => c.Name));
        Assert.Equal((3, 0, 1), (list[0].ControlPlanes, list[0].Workers, list[0].LoadBalancers));
        Assert.Equal((1, 1, 1), (list[1].ControlPlanes, list[1].Workers, list[1].LoadBalancers));
        Assert.Equal(newest.Id, list[0].LastRun?.Id);
        Assert.Null(list[1].LastRun);
        Assert.Equal(b, list[1].Id);
    }

    private async Task<int> CreateProvisionedClusterAsync()
    {
        var id = await CreateClusterAsync();
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Clusters.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Healthy));
        return id;
    }

    private async Task<int> CreateClusterAsync()
    {
        var hosts = await _ctx.AddHostsAsync("node1", "lb1");
        var catalog = _ctx.Services.GetRequiredService<ClusterCatalog>();
        var created = await catalog.CreateAsync(new ClusterDraft("prod", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
        [
            new HostRoles(hosts[0], new HashSet<NodeRole> { NodeRole.ControlPlane }),
            new HostRoles(hosts[1], new HashSet<NodeRole> { NodeRole.LoadBalancer }),
        ]), default);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Message)));
        return created.ClusterId!.Value;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
