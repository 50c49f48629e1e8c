using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>
/// Runs left Running by a process that stopped become Interrupted (resumable): their unfinished steps and host-steps
/// are Cancelled and their claims on clusters released. One process on SQLite marks every such run at start-up (the
/// operator resumes them). On PostgreSQL, with several agents, only runs whose owner is gone are marked, each with a
/// compare-and-swap on (status, owner, attempt) so exactly one agent takes a run over.
/// </summary>
public sealed class InterruptedRunRecovery(IDbContextFactory<KubeHaDbContext> dbFactory, TimeProvider time)
{
    public const string Reason = "The process executing this run stopped; resume it to continue where it stopped.";

    public const string TakeoverReason = "The agent executing this run stopped sending heartbeats; another agent resumes it.";

    /// <summary>Single process: every Running run is interrupted (nothing else can be executing it).</summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var runs = await db.Runs.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToListAsync(cancellationToken);
        if (runs.Count == 0)
        {
            return 0;
        }

        await MarkAsync(db, runs, Reason, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return runs.Count;
    }

    /// <summary>
    /// Runs still Queued (never started): with job storage that lives in the process (SQLite's single process keeps
    /// Hangfire in memory) their jobs died with it, so the process that starts enqueues them again. A run delivered
    /// twice starts once: its claim is a compare-and-swap on (Queued, attempt 1).
    /// </summary>
    public async Task<IReadOnlyList<long>> FindQueuedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Running runs whose owner is not among the online agents (<see cref="KubeHa.Core.Agents.AgentRegistry.OnlineNamesAsync"/>): candidates for <see cref="TryTakeOverAsync"/>.</summary>
    public async Task<IReadOnlyList<OrphanedRun>> FindOrphanedAsync(IReadOnlySet<string> online, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var running = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running)
            .Select(r => new OrphanedRun(r.Id, r.ClusterId, r.ClaimedBy, r.Attempt))
            .ToListAsync(cancellationToken);
        return running.Where(r => r.Owner is null || !online.Contains(r.Owner)).ToList();
    }

    /// <summary>Running runs recorded as owned by this agent name: left by its previous incarnation (same name, restarted).</summary>
    public async Task<IReadOnlyList<OrphanedRun>> FindOwnedByAsync(string agent, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.ClaimedBy == agent)
            .Select(r => new OrphanedRun(r.Id, r.ClusterId, r.ClaimedBy, r.Attempt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Marks the run Interrupted if it is still Running under the same owner and attempt (compare-and-swap); true for
    /// the one caller that won, which then enqueues its resume.
    /// </summary>
    public async Task<bool> TryTakeOverAsync(OrphanedRun run, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var won = await db.Runs
            .Where(r => r.Id == run.RunId && r.Status == RunStatus.Running && r.ClaimedBy == run.Owner && r.Attempt == run.Attempt)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Interrupted).SetProperty(r => r.Error, TakeoverReason).SetProperty(r => r.FinishedAt, now), cancellationToken);
        if (won != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await MarkAsync(db, [run.RunId], TakeoverReason, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private async Task MarkAsync(KubeHaDbContext db, List<long> runs, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.HostStepRuns.Where(h => runs.Contains(h.StepRun!.RunId) && h.Status == StepStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, StepStatus.Cancelled).SetProperty(h => h.Error, reason).SetProperty(h => h.FinishedAt, now), cancellationToken);
        await db.StepRuns.Where(st => runs.Contains(st.RunId) && st.Status == StepStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(st => st.Status, StepStatus.Cancelled).SetProperty(st => st.FinishedAt, now), cancellationToken);
        await db.Runs.Where(r => runs.Contains(r.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Interrupted).SetProperty(r => r.Error, reason).SetProperty(r => r.FinishedAt, now), cancellationToken);
        await db.Clusters.Where(c => c.ActiveRunId != null && runs.Contains(c.ActiveRunId.Value))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ActiveRunId, (long?)null), cancellationToken);
    }
}

/// <summary>A Running run as seen by the watchdog: the owner and attempt are the compare-and-swap's expected values.</summary>
public sealed record OrphanedRun(long RunId, int ClusterId, string? Owner, int Attempt);
