using KubeHa.Core.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeHa.Agent.Jobs;

/// <summary>At start-up, before jobs run: runs a previous process left Running become Interrupted (resumable).</summary>
public sealed partial class InterruptedRunsService(InterruptedRunRecovery recovery, ILogger<InterruptedRunsService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
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
