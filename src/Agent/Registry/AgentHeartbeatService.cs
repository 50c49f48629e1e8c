using System.Reflection;
using KubeHa.Core.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Registry;

/// <summary>
/// Registers this agent (name, version, machine, zones) before any job starts, then writes its heartbeat every
/// <see cref="AgentsOptions.HeartbeatInterval"/>; on a clean stop it says so, so its runs are taken over at once.
/// </summary>
public sealed partial class AgentHeartbeatService(
    AgentRegistry registry,
    IOptions<AgentOptions> agent,
    IOptions<AgentsOptions> health,
    TimeProvider time,
    ILogger<AgentHeartbeatService> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public static string Version { get; } =
        typeof(AgentHeartbeatService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first heartbeat before the Hangfire server starts: an agent executing a run is always registered.
        await BeatAsync(cancellationToken);
        await registry.PruneAsync(TimeSpan.FromDays(7), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await registry.MarkStoppedAsync(agent.Value.Name, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStopFailed(logger, agent.Value.Name, ex);
        }
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
                    await BeatAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    // The database is unreachable: keep trying; when it is back, the heartbeat resumes.
                    LogHeartbeatFailed(logger, agent.Value.Name, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        await registry.HeartbeatAsync(agent.Value.Name, Version, Environment.MachineName, agent.Value.EffectiveQueues, _startedAt, cancellationToken);
        if (agent.Value.AliveFile is { Length: > 0 } alive)
        {
            // Written only after the database took the heartbeat: a recent file means the agent can reach it.
            await File.WriteAllTextAsync(alive, time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Agent}: heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, string agent, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Agent}: could not record its stop")]
    private static partial void LogStopFailed(ILogger logger, string agent, Exception exception);
}
