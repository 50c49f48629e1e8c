using Hangfire;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// Hangfire entry point of one attempt of a provisioning run. Takes the run id and the attempt; everything else is
/// read from the ledger. Never retried automatically: a failed run is resumed by an operator, an interrupted one by
/// the operator (SQLite) or by another agent (PostgreSQL), and the ledger makes that safe.
/// </summary>
public sealed class ProvisioningJob(
    RunExecutor executor,
    IOptions<AgentOptions> agent,
    IOptions<DatabaseOptions> database,
    IDbContextFactory<KubeHaDbContext> dbFactory,
    HangfireRunScheduler scheduler,
    RunHostsRecheck recheck)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Provisioning run {0}, attempt {1}")]
    public async Task RunAsync(long runId, int attempt, CancellationToken cancellationToken)
    {
        await executor.ExecuteAsync(runId, agent.Value.Name, attempt, cancellationToken);
        if (!cancellationToken.IsCancellationRequested)
        {
            await recheck.ScheduleAsync(runId, CancellationToken.None);
        }

        if (cancellationToken.IsCancellationRequested && database.Value.IsShared)
        {
            // This agent is shutting down and the run stopped Interrupted: hand it to the other agents at once
            // rather than waiting for an operator.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var run = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.Status, r.Attempt, r.ClaimedBy }).SingleAsync(CancellationToken.None);
            if (run.Status == RunStatus.Interrupted && run.ClaimedBy == agent.Value.Name)
            {
                await scheduler.EnqueueAttemptAsync(runId, run.Attempt + 1, CancellationToken.None);
            }
        }
    }
}
