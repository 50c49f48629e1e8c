using KubeHa.Core.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Registry;

/// <summary>
/// Every heartbeat interval, looks for agents silent past <see cref="AgentsOptions.StaleAfter"/> without a clean stop
/// and raises agent-offline for each, once (<see cref="AgentRegistry.MarkOfflineAsync"/>); the agent's next heartbeat
/// raises agent-online. Every agent watches (on SQLite the only one sees a previous process that died): the
/// compare-and-swap in the registry makes one of them report each silence.
/// </summary>
public sealed partial class AgentOfflineWatchService(
    AgentRegistry registry,
    IOptions<AgentsOptions> agents,
    TimeProvider time,
    ILogger<AgentOfflineWatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(agents.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var name in await registry.MarkOfflineAsync(stoppingToken))
                    {
                        LogOffline(logger, name, agents.Value.StaleAfter.TotalSeconds);
                    }
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    LogWatchFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7220, Level = LogLevel.Warning, Message = "Agent {Agent} is offline: no heartbeat for more than {StaleSeconds} s and no clean stop")]
    private static partial void LogOffline(ILogger logger, string agent, double staleSeconds);

    [LoggerMessage(EventId = 7221, Level = LogLevel.Warning, Message = "Agent offline watch failed; next look at the next heartbeat interval")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
