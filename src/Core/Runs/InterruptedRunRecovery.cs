using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>
/// At start-up: runs left Running by a process that stopped are marked Interrupted (resumable), their unfinished
/// steps and host-steps Cancelled, and their claims on clusters released. Assumes one agent process per catalog.
/// </summary>
public sealed class InterruptedRunRecovery(IDbContextFactory<KubeHaDbContext> dbFactory, TimeProvider time)
{
    public const string Reason = "The process executing this run stopped; resume it to continue where it stopped.";

    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var runs = await db.Runs.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToListAsync(cancellationToken);
        if (runs.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        await db.HostStepRuns.Where(h => runs.Contains(h.StepRun!.RunId) && h.Status == StepStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, StepStatus.Cancelled).SetProperty(h => h.Error, Reason).SetProperty(h => h.FinishedAt, now), cancellationToken);
        await db.StepRuns.Where(st => runs.Contains(st.RunId) && st.Status == StepStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(st => st.Status, StepStatus.Cancelled).SetProperty(st => st.FinishedAt, now), cancellationToken);
        await db.Runs.Where(r => runs.Contains(r.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Interrupted).SetProperty(r => r.Error, Reason).SetProperty(r => r.FinishedAt, now), cancellationToken);
        await db.Clusters.Where(c => c.ActiveRunId != null && runs.Contains(c.ActiveRunId.Value))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ActiveRunId, (long?)null), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return runs.Count;
    }
}
