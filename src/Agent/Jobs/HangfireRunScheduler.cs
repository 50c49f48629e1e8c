using Hangfire;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// <see cref="IRunScheduler"/> on Hangfire: the ledger row first, then a job that carries only its id and the attempt
/// it is for, on the queue of the cluster's zone.
/// </summary>
public sealed class HangfireRunScheduler(
    RunLedger ledger,
    IPlanCatalog plans,
    RunCancellations cancellations,
    IDbContextFactory<KubeHaDbContext> dbFactory,
    ZoneQueues queues,
    IBackgroundJobClient jobs) : IRunScheduler
{
    public async Task<long> StartAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken)
    {
        var run = await ledger.CreateRunAsync(clusterId, plans.Get(planKey), targetHostIds, user, cancellationToken);
        var queue = await queues.ForClusterAsync(clusterId, cancellationToken);
        jobs.Enqueue<ProvisioningJob>(queue, j => j.RunAsync(run.Id, 1, CancellationToken.None));
        return run.Id;
    }

    public async Task ResumeAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.Status, r.Attempt }).SingleOrDefaultAsync(cancellationToken);
        if (run?.Status is not (RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted))
        {
            throw new InvalidOperationException($"Run {runId} is {run?.Status.ToString() ?? "missing"}: only failed, cancelled or interrupted runs resume.");
        }

        await EnqueueAttemptAsync(runId, run.Attempt + 1, cancellationToken);
    }

    /// <summary>Enqueues the job for one attempt of the run (the attempt makes a duplicate or late delivery a no-op).</summary>
    public async Task EnqueueAttemptAsync(long runId, int attempt, CancellationToken cancellationToken)
    {
        var queue = await queues.ForRunAsync(runId, cancellationToken);
        jobs.Enqueue<ProvisioningJob>(queue, j => j.RunAsync(runId, attempt, CancellationToken.None));
    }

    public async Task CancelAsync(long runId, CancellationToken cancellationToken)
    {
        await ledger.RequestCancelAsync(runId, cancellationToken);
        cancellations.Cancel(runId);
    }
}
