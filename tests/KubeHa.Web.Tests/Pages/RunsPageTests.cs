using Bunit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using KubeHa.Web.Components.Pages.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Pages;

/// <summary>The runs history (<c>/runs</c>, and per cluster): plan, targets, who, when, outcome, newest first.</summary>
public sealed class RunsPageTests : IAsyncLifetime
{
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync();

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Runs_TwoClusters_ListsEveryRunWithPlanTargetsUserAndOutcome()
    {
        var hosts = await _ctx.AddHostsAsync("cp1", "w1");
        var prod = await SeedClusterAsync("prod", ("create", RunStatus.Succeeded, null, "alice"), ("reset", RunStatus.Failed, [hosts[1]], "bob"));
        await SeedClusterAsync("lab", ("create", RunStatus.Running, null, "carol"));

        var all = _ctx.Bunit.Render<RunsPage>();

        all.WaitForAssertion(() => Assert.Equal(3, all.FindAll("[data-testid=run-link]").Count));
        Assert.Equal(["create", "reset", "create"], all.FindAll("[data-testid=run-plan]").Select(c => c.TextContent));
        Assert.Equal(["carol", "bob", "alice"], all.FindAll("[data-testid=run-user]").Select(c => c.TextContent));
        Assert.Equal("w1", all.FindAll("[data-testid=run-targets]")[1].TextContent);
        Assert.Equal("all hosts", all.FindAll("[data-testid=run-targets]")[2].TextContent);
        Assert.Contains("Failed", all.FindAll("[data-testid=run-outcome]")[1].TextContent, StringComparison.OrdinalIgnoreCase);

        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"runs?cluster={prod}");
        var one = _ctx.Bunit.Render<RunsPage>();
        one.WaitForAssertion(() => Assert.Equal(2, one.FindAll("[data-testid=run-link]").Count));
        Assert.Contains("prod", one.Find("[data-testid=runs-cluster]").TextContent, StringComparison.Ordinal);
    }

    private async Task<int> SeedClusterAsync(string name, params (string Plan, RunStatus Status, List<int>? Targets, string User)[] runs)
    {
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var cluster = new Cluster { Name = name, Spec = new ClusterSpec() };
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync();
        foreach (var run in runs)
        {
            db.Runs.Add(new Run { ClusterId = cluster.Id, Plan = run.Plan, Spec = new ClusterSpec(), Status = run.Status, TargetHostIds = run.Targets, StartedByUser = run.User, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        return cluster.Id;
    }
}
