using KubeHa.Core.Alerts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Alerts;

/// <summary>
/// The delivery loop: sends the outbox's due deliveries (<see cref="AlertDispatcher"/>), then waits for an alert raised
/// in this process or <see cref="AlertsOptions.PollInterval"/>, whichever comes first; once an hour it deletes old
/// finished deliveries. A hosted service rather than Hangfire jobs: the outbox in the catalog is already the durable
/// queue with its own attempts, back-off and claims, which works the same on SQLite (where Hangfire's storage is in
/// memory and lost at a restart) and PostgreSQL (several agents share the outbox through compare-and-swap claims).
/// </summary>
public sealed partial class AlertDeliveryService(
    AlertDispatcher dispatcher,
    AlertDeliverySignal signal,
    IOptions<AgentOptions> agent,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertDeliveryService> logger) : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var attempted = 0;
                try
                {
                    attempted = await dispatcher.DeliverDueAsync(agent.Value.Name, stoppingToken);
                    if (time.GetUtcNow() >= nextPrune)
                    {
                        nextPrune = time.GetUtcNow() + PruneEvery;
                        await dispatcher.PruneAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    // The database is unreachable or a delivery row is broken: keep the loop alive, try again later.
                    LogPassFailed(logger, ex);
                }

                if (attempted == 0)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7210, Level = LogLevel.Warning, Message = "Alert delivery pass failed; next pass after the poll interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
