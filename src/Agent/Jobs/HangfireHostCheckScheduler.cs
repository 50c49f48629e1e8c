using Hangfire;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Agent.Jobs;

/// <summary>Marks hosts queued in the catalog, then enqueues one <see cref="HostCheckJob"/> per host on its zone's queue.</summary>
public sealed class HangfireHostCheckScheduler(
    IDbContextFactory<KubeHaDbContext> dbFactory,
    IBackgroundJobClient jobs,
    ZoneQueues queues,
    InventoryEvents events) : IHostCheckScheduler
{
    public async Task ScheduleAsync(IReadOnlyCollection<int> hostIds, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Hosts.Where(h => hostIds.Contains(h.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.CheckStatus, HostCheckStatus.Queued), cancellationToken);
        }

        var queueOf = await queues.ForHostsAsync(hostIds, cancellationToken);
        foreach (var id in hostIds)
        {
            events.PublishHostChanged(id);
            jobs.Enqueue<HostCheckJob>(queueOf[id], j => j.RunAsync(id, CancellationToken.None));
        }
    }
}
