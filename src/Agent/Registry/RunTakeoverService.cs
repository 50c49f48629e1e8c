using KubeHa.Agent.Jobs;
using KubeHa.Core.Agents;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Registry;

/// <summary>
/// PostgreSQL only (several agents): the watchdog. At start-up, runs this agent's name still owns were left by its
/// previous incarnation; then, every heartbeat interval, runs whose owner is offline (heartbeat older than
/// <see cref="AgentsOptions.StaleAfter"/>, or stopped). Each is marked Interrupted with a compare-and-swap on
/// (status, owner, attempt), so exactly one agent wins, and the winner enqueues its next attempt on the cluster's
/// zone. Whichever agent of that zone picks the job resumes the run without repeating finished steps. Correctness
/// does not depend on Hangfire's invisibility timeout: a late re-delivery of the dead agent's job names an attempt
/// that is no longer startable and does nothing.
/// </summary>
public sealed partial class RunTakeoverService(
    InterruptedRunRecovery recovery,
    AgentRegistry registry,
    HangfireRunScheduler scheduler,
    IOptions<AgentOptions> agent,
    IOptions<AgentsOptions> health,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<RunTakeoverService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!database.Value.IsShared)
        {
            return; // One process on SQLite: InterruptedRunsService marks runs at start-up; the operator resumes them.
        }

        foreach (var run in await recovery.FindOwnedByAsync(agent.Value.Name, cancellationToken))
        {
            await TakeOverAsync(run, cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(health.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var online = await registry.OnlineNamesAsync(stoppingToken);
                    foreach (var run in await recovery.FindOrphanedAsync(online, stoppingToken))
                    {
                        await TakeOverAsync(run, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    LogWatchdogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TakeOverAsync(OrphanedRun run, CancellationToken cancellationToken)
    {
        if (await recovery.TryTakeOverAsync(run, cancellationToken))
        {
            LogTakenOver(logger, run.RunId, run.Owner ?? "(none)", run.Attempt, agent.Value.Name);
            await scheduler.EnqueueAttemptAsync(run.RunId, run.Attempt + 1, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: its agent {Owner} is offline during attempt {Attempt}; {Agent} marked it interrupted and enqueued its resume")]
    private static partial void LogTakenOver(ILogger logger, long runId, string owner, int attempt, string agent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run watchdog: looking for orphaned runs failed")]
    private static partial void LogWatchdogFailed(ILogger logger, Exception exception);
}
