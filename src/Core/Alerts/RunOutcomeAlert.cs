using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Alerts;

/// <summary>Raises run-succeeded / run-failed from the ledger, in the transaction that records the outcome.</summary>
public static class RunOutcomeAlert
{
    /// <summary>Enqueues the alert for a run that just ended Succeeded or Failed (other outcomes raise nothing).</summary>
    public static async Task EnqueueAsync(KubeHaDbContext db, long runId, RunStatus status, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (status is not (RunStatus.Succeeded or RunStatus.Failed))
        {
            return;
        }

        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Plan, r.Attempt, r.StartedByUser, r.ClusterId, ClusterName = r.Cluster!.Name })
            .SingleAsync(cancellationToken);
        var failedStep = status == RunStatus.Failed
            ? await db.StepRuns.AsNoTracking().Where(s => s.RunId == runId && s.Status == StepStatus.Failed)
                .OrderBy(s => s.Ordinal).Select(s => s.Title).FirstOrDefaultAsync(cancellationToken)
            : null;
        var alert = AlertEvent.RunFinished(
            new AlertCluster(run.ClusterId, run.ClusterName),
            new AlertRun(runId, run.Plan, status, run.Attempt, error, failedStep, run.StartedByUser),
            at);
        await AlertOutbox.EnqueueAsync(db, alert, cancellationToken);
    }
}
