using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// One process on SQLite, at start-up, before jobs run: runs a previous process left Running become Interrupted
/// (resumable by an operator). On PostgreSQL other agents may be executing runs right now, so it does nothing there;
/// <see cref="Registry.RunTakeoverService"/> handles runs whose agent is gone.
/// </summary>
public sealed partial class InterruptedRunsService(InterruptedRunRecovery recovery, IOptions<DatabaseOptions> database, ILogger<InterruptedRunsService> logger) : IHostedService
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
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} run(s) were running when the previous process stopped: marked interrupted")]
    private static partial void LogMarked(ILogger logger, int count);
}
