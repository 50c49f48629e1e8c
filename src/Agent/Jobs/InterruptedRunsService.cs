using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// One process on SQLite, at start-up, before jobs run: runs a previous process left Running become Interrupted
/// (resumable by an operator), and runs it left Queued are enqueued again (Hangfire's in-memory storage lost their
/// jobs; otherwise they would stay queued forever and hold their cluster's queue). On PostgreSQL other agents may be executing runs right now, so it does nothing there;
/// <see cref="Registry.RunTakeoverService"/> handles runs whose agent is gone.
/// </summary>
public sealed partial class InterruptedRunsService(InterruptedRunRecovery recovery, HangfireRunScheduler scheduler, IOptions<DatabaseOptions> database, ILogger<InterruptedRunsService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Value.IsShared)
        {
            return;
        }

        var count = await recovery.MarkInterruptedAsync(cancellationToken);
        if (count > 0)
        {
            LogMarked(logger, count);
        }

        var queued = await recovery.FindQueuedAsync(cancellationToken);
        foreach (var runId in queued)
        {
            await scheduler.EnqueueAttemptAsync(runId, attempt: 1, cancellationToken);
        }

        if (queued.Count > 0)
        {
            LogRequeued(logger, queued.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} run(s) were running when the previous process stopped: marked interrupted")]
    private static partial void LogMarked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} run(s) were queued when the previous process stopped: enqueued again")]
    private static partial void LogRequeued(ILogger logger, int count);
}
