using Hangfire;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Agent.Jobs;

/// <summary><see cref="IRunScheduler"/> on Hangfire: the ledger row first, then a job that carries only its id.</summary>
public sealed class HangfireRunScheduler(
    RunLedger ledger,
    IPlanCatalog plans,
    RunCancellations cancellations,
    IDbContextFactory<KubeHaDbContext> dbFactory,
    IBackgroundJobClient jobs) : IRunScheduler
{
    public async Task<long> StartAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken)
    {
        var run = await ledger.CreateRunAsync(clusterId, plans.Get(planKey), targetHostIds, user, cancellationToken);
        jobs.Enqueue<ProvisioningJob>(j => j.RunAsync(run.Id, CancellationToken.None));
        return run.Id;
    }

    public async Task ResumeAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
        if (status is not (RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted))
        {
            throw new InvalidOperationException($"Run {runId} is {status?.ToString() ?? "missing"}: only failed, cancelled or interrupted runs resume.");
        }

        jobs.Enqueue<ProvisioningJob>(j => j.RunAsync(runId, CancellationToken.None));
    }

    public async Task CancelAsync(long runId, CancellationToken cancellationToken)
    {
        await ledger.RequestCancelAsync(runId, cancellationToken);
        cancellations.Cancel(runId);
    }
}
