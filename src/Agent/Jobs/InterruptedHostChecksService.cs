using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// At start-up: host checks a previous process left Queued or Running are scheduled again. Hangfire's in-memory
/// storage lost their jobs with the process, and a host must not show a spinner forever. A check only reads the
/// host, so running one twice (with durable job storage) is harmless.
/// </summary>
public sealed partial class InterruptedHostChecksService(
    IDbContextFactory<KubeHaDbContext> dbFactory,
    IHostCheckScheduler scheduler,
    ILogger<InterruptedHostChecksService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<int> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            ids = await db.Hosts
                .Where(h => h.CheckStatus == HostCheckStatus.Queued || h.CheckStatus == HostCheckStatus.Running)
                .Select(h => h.Id)
                .ToListAsync(cancellationToken);
        }

        if (ids.Count > 0)
        {
            LogRescheduled(logger, ids.Count);
            await scheduler.ScheduleAsync(ids, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} host check(s) were unfinished when the previous process stopped: scheduled again")]
    private static partial void LogRescheduled(ILogger logger, int count);
}
