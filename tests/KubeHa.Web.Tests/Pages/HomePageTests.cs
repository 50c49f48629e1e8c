using Bunit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using KubeHa.Web.Components.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Pages;

/// <summary>The Overview page: clusters with their health, hosts needing attention, recent runs.</summary>
public sealed class HomePageTests : IAsyncLifetime
{
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync();

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Overview_ClustersHostsAndRuns_ShowsHealthAttentionAndRecentRuns()
    {
        var hosts = await _ctx.AddHostsAsync("cp1", "bad");
        await _ctx.SetCheckAsync(hosts[1], HostCheckStatus.Failed, HostCheckErrorKind.Unreachable);
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var cluster = new Cluster { Name = "prod-ha", Spec = new ClusterSpec(), Status = ClusterStatus.Degraded, HealthReasons = "node2 NotReady" };
            db.Clusters.Add(cluster);
            await db.SaveChangesAsync();
            db.Runs.Add(new Run { ClusterId = cluster.Id, Plan = "create", Spec = new ClusterSpec(), Status = RunStatus.Succeeded, StartedByUser = "alice", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var page = _ctx.Bunit.Render<HomePage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=overview-cluster]")));
        Assert.Contains("prod-ha", page.Find("[data-testid=overview-cluster]").TextContent, StringComparison.Ordinal);
        Assert.Contains("node2 NotReady", page.Find("[data-testid=overview-cluster]").TextContent, StringComparison.Ordinal);
        var attention = Assert.Single(page.FindAll("[data-testid=overview-host]"));
        Assert.Contains("bad", attention.TextContent, StringComparison.Ordinal);
        Assert.Contains("last check failed", attention.TextContent, StringComparison.Ordinal);
        Assert.Contains("create of prod-ha by alice", page.Find("[data-testid=overview-run]").TextContent, StringComparison.Ordinal);
    }
}
