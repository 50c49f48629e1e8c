using KubeHa.Core.Alerts;
using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>
/// The run ledger: every run, step and host-step transition is written before and after it happens, each in its own
/// short-lived context, then published live. That is what makes a crashed run resumable from the first unfinished work.
/// </summary>
/// <para>
/// It is the executor's only persistence: the executor reads and writes runs, steps, host-steps, log lines and the
/// cluster's membership through these methods, never through a context of its own.
/// </para>
public sealed class RunLedger(IDbContextFactory<KubeHaDbContext> dbFactory, RunEvents events, TimeProvider time)
{
    /// <summary>The run with its steps, as recorded (not tracked).</summary>
    public async Task<Run> LoadRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Include(r => r.Steps).SingleAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>Opens the run's log writer, continuing its Seq after the last stored line.</summary>
    public Task<RunLogWriter> OpenLogAsync(long runId, Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken) =>
        RunLogWriter.OpenAsync(dbFactory, events, time, logger, runId, cancellationToken);

    /// <summary>The cluster's members (hosts, roles, facts) as the plan of this attempt sees them.</summary>
    public async Task<IReadOnlyList<ClusterMember>> LoadMembersAsync(int clusterId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ClusterMembers.LoadAsync(db, clusterId, cancellationToken);
    }

    /// <summary>A removal plan succeeded: the removed hosts are no longer nodes of the cluster.</summary>
    public async Task RemoveNodesAsync(int clusterId, IReadOnlySet<int> hostIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ClusterNodes.Where(n => n.ClusterId == clusterId && hostIds.Contains(n.HostId)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Creates a queued run with its steps (Pending), freezing the cluster's current spec.</summary>
    public async Task<Run> CreateRunAsync(int clusterId, Plan plan, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cluster = await db.Clusters.SingleAsync(c => c.Id == clusterId, cancellationToken);
        var run = new Run
        {
            ClusterId = clusterId,
            Plan = plan.Key,
            Spec = cluster.Spec,
            Status = RunStatus.Queued,
            TargetHostIds = targetHostIds?.ToList(),
            StartedByUser = user,
            CreatedAt = time.GetUtcNow(),
            Steps = plan.Steps.Select((s, i) => new StepRun { Ordinal = i, Key = s.Key, Title = s.Title, Status = StepStatus.Pending }).ToList(),
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>
    /// Claims the cluster for the run with a compare-and-swap (UPDATE ... WHERE ActiveRunId IS NULL affecting one row),
    /// then moves the run to Running (Attempt + 1 on a resume), for exactly one attempt: 1 claims only a Queued
    /// run never started; n &gt; 1 claims only a failed, cancelled or interrupted run whose last attempt was n - 1.
    /// A job delivered twice (or again, long after, by the job storage) therefore never starts an attempt twice nor
    /// resumes a run nobody asked to resume; a run Running under a live agent is never claimed.
    /// </summary>
    public async Task<bool> TryClaimAsync(long runId, string agent, int attempt, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is RunStatus.Running or RunStatus.Succeeded)
        {
            return false;
        }

        if (!IsStartable(run, attempt))
        {
            return false;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Clusters.Where(c => c.Id == run.ClusterId && c.ActiveRunId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ActiveRunId, runId), cancellationToken);
        if (claimed != 1)
        {
            return false;
        }

        var resumed = run.Status != RunStatus.Queued;
        var now = time.GetUtcNow();
        var started = await db.Runs.Where(r => r.Id == runId && r.Status == run.Status && r.Attempt == run.Attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.Attempt, r => resumed ? r.Attempt + 1 : r.Attempt)
                .SetProperty(r => r.ClaimedBy, agent)
                .SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.CancelRequestedAt, (DateTimeOffset?)null)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null), cancellationToken);
        if (started != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await db.Clusters.Where(c => c.Id == run.ClusterId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, run.Plan == "reset" ? ClusterStatus.Resetting : ClusterStatus.Provisioning), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        events.Publish(new RunStatusEvent(runId, RunStatus.Running, null));
        return true;
    }

    private static bool IsStartable(Run run, int attempt) => attempt == 1
        ? run.Status == RunStatus.Queued && run.Attempt == 1
        : run.Status is RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted && run.Attempt == attempt - 1;

    /// <summary>
    /// Records the outcome of the attempt <paramref name="owner"/> executes and releases the cluster, only while that
    /// attempt still owns the run (it is Running, claimed by this agent at this attempt). False when the run was
    /// taken over meanwhile (this agent's heartbeat went stale): then nothing is written.
    /// </summary>
    public async Task<bool> FinishRunAsync(long runId, RunOwner owner, RunStatus status, string? error, ClusterStatus? clusterStatus, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var finished = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running && r.ClaimedBy == owner.Agent && r.Attempt == owner.Attempt)
            .ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.Error, error)
            .SetProperty(r => r.FinishedAt, now), cancellationToken);
        if (finished != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        var clusterId = await db.Runs.Where(r => r.Id == runId).Select(r => r.ClusterId).SingleAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == clusterId && c.ActiveRunId == runId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.ActiveRunId, (long?)null)
            .SetProperty(c => c.Status, c => clusterStatus ?? c.Status)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        await RunOutcomeAlert.EnqueueAsync(db, runId, status, error, now, cancellationToken); // with the outcome, or not at all
        await tx.CommitAsync(cancellationToken);
        events.Publish(new RunStatusEvent(runId, status, error));
        return true;
    }

    /// <summary>What the executing agent should do next: continue, stop because an operator cancelled, or stop because the run was taken over.</summary>
    public async Task<RunControl> ReadControlAsync(long runId, RunOwner owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Status, r.ClaimedBy, r.Attempt, r.CancelRequestedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null || row.Status != RunStatus.Running || row.ClaimedBy != owner.Agent || row.Attempt != owner.Attempt)
        {
            return RunControl.LostOwnership;
        }

        return row.CancelRequestedAt is null ? RunControl.Continue : RunControl.CancelRequested;
    }

    public async Task SetStepStatusAsync(long runId, int ordinal, string key, StepStatus status, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.StepRuns.Where(s => s.RunId == runId && s.Ordinal == ordinal).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, status)
            .SetProperty(x => x.StartedAt, x => status == StepStatus.Running ? now : x.StartedAt)
            .SetProperty(x => x.FinishedAt, x => status == StepStatus.Running ? null : now), cancellationToken);
        events.Publish(new StepStatusEvent(runId, ordinal, key, status));
    }

    /// <summary>Host-step statuses recorded so far for one step (resume skips the succeeded ones).</summary>
    public async Task<IReadOnlyDictionary<int, StepStatus>> HostStatusesAsync(long runId, int ordinal, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.HostStepRuns.Where(h => h.StepRun!.RunId == runId && h.StepRun.Ordinal == ordinal)
            .ToDictionaryAsync(h => h.HostId, h => h.Status, cancellationToken);
    }

    /// <summary>Creates or updates the host-step row: Running (attempt + 1) before, the outcome after.</summary>
    public async Task<int> RecordHostStepAsync(long runId, int ordinal, string key, int hostId, StepStatus status, int? exitCode, string? error, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var step = await db.StepRuns.SingleAsync(s => s.RunId == runId && s.Ordinal == ordinal, cancellationToken);
        var row = await db.HostStepRuns.SingleOrDefaultAsync(h => h.StepRunId == step.Id && h.HostId == hostId, cancellationToken);
        if (row is null)
        {
            row = new HostStepRun { StepRunId = step.Id, HostId = hostId };
            db.HostStepRuns.Add(row);
        }

        var now = time.GetUtcNow();
        row.Status = status;
        if (status == StepStatus.Running)
        {
            row.Attempt++;
            row.StartedAt = now;
            row.FinishedAt = null;
            row.ExitCode = null;
            row.Error = null;
        }
        else
        {
            row.FinishedAt = now;
            row.ExitCode = exitCode;
            row.Error = error;
        }

        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new HostStepStatusEvent(runId, key, hostId, status, row.Attempt, exitCode, error));
        return row.Attempt;
    }

    /// <summary>
    /// Cancels a run. A queued run no agent has started yet is cancelled at once (a compare-and-swap on Queued, so it
    /// wins or loses cleanly against an agent claiming it; without this, a run queued for a zone with no agent online
    /// could never be cancelled, and a later claim would start it anyway). A running run is marked for cancellation,
    /// seen by the executing agent's poll (in-process also signalled directly).
    /// </summary>
    public async Task<bool> RequestCancelAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        const string NeverStarted = "Cancelled before an agent started it.";
        var cancelledQueued = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Cancelled)
                .SetProperty(r => r.Error, NeverStarted)
                .SetProperty(r => r.CancelRequestedAt, now)
                .SetProperty(r => r.FinishedAt, now), cancellationToken);
        if (cancelledQueued == 1)
        {
            events.Publish(new RunStatusEvent(runId, RunStatus.Cancelled, NeverStarted));
            return true;
        }

        return await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequestedAt, now), cancellationToken) == 1;
    }

    public async Task<bool> IsCancelRequestedAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.Id == runId && r.CancelRequestedAt != null, cancellationToken);
    }
}
