using KubeHa.Agent.Jobs;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using KubeHa.Web.Tests.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Jobs;

/// <summary>After a run, the hosts it worked on are checked again, so their facts (swap, ports) are not stale.</summary>
[Trait("Category", "Integration")]
public sealed class RunHostsRecheckTests : IAsyncLifetime
{
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync();

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Theory]
    [InlineData(RunStatus.Succeeded, true)]
    [InlineData(RunStatus.Failed, true)]
    [InlineData(RunStatus.Cancelled, false)]
    public async Task ScheduleAsync_RunEnded_QueuesChecksOfTheHostsItWorkedOn(RunStatus outcome, bool rechecked)
    {
        var ids = await _ctx.AddHostsAsync("cp1", "w1", "spare");
        var runId = await SeedRunAsync(outcome, (ids[0], StepStatus.Succeeded), (ids[1], StepStatus.Failed), (ids[2], StepStatus.Skipped));

        await _ctx.Services.GetRequiredService<RunHostsRecheck>().ScheduleAsync(runId, default);

        var hosts = await _ctx.Services.GetRequiredService<HostInventory>().ListAsync(default);
        var queued = hosts.Where(h => h.CheckStatus == HostCheckStatus.Queued).Select(h => h.Name).ToList();
        Assert.Equal(rechecked ? ["cp1", "w1"] : [], queued);
    }

    private async Task<long> SeedRunAsync(RunStatus status, params (int HostId, StepStatus Status)[] hosts)
    {
        var factory = _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var cluster = new Cluster { Name = "prod", Spec = new ClusterSpec() };
        var run = new Run
        {
            Cluster = cluster,
            Plan = "create",
            Spec = new ClusterSpec(),
            Status = status,
            Steps = [new StepRun { Key = "prepare-os", Title = "Prepare the OS", Status = StepStatus.Succeeded, Hosts = [.. hosts.Select(h => new HostStepRun { HostId = h.HostId, Status = h.Status })] }],
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
