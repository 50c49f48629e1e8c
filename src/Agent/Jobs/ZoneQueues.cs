using KubeHa.Core.Agents;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// The Hangfire queue a cluster's jobs go to: its zone on PostgreSQL (only agents serving that zone take them), the
/// default queue otherwise (one process on SQLite serves everything, whatever zone a cluster names).
/// </summary>
public sealed class ZoneQueues(IDbContextFactory<KubeHaDbContext> dbFactory, IOptions<DatabaseOptions> database)
{
    public async Task<string> ForClusterAsync(int clusterId, CancellationToken cancellationToken)
    {
        if (!database.Value.IsShared)
        {
            return Zones.Default;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var zone = await db.Clusters.Where(c => c.Id == clusterId).Select(c => c.Zone).SingleOrDefaultAsync(cancellationToken);
        return Zones.QueueOf(zone);
    }

    public async Task<string> ForRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clusterId = await db.Runs.Where(r => r.Id == runId).Select(r => r.ClusterId).SingleAsync(cancellationToken);
        return await ForClusterAsync(clusterId, cancellationToken);
    }

    /// <summary>Per host: the zone of a pinned cluster it belongs to (a host is reachable from that zone's agents), else the default queue.</summary>
    public async Task<IReadOnlyDictionary<int, string>> ForHostsAsync(IReadOnlyCollection<int> hostIds, CancellationToken cancellationToken)
    {
        if (!database.Value.IsShared)
        {
            return hostIds.ToDictionary(id => id, _ => Zones.Default);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pinned = await db.ClusterNodes
            .Where(n => hostIds.Contains(n.HostId) && n.Cluster!.Zone != null)
            .Select(n => new { n.HostId, n.Cluster!.Zone })
            .ToListAsync(cancellationToken);
        return hostIds.ToDictionary(id => id, id => Zones.QueueOf(pinned.Where(p => p.HostId == id).Select(p => p.Zone).Order(StringComparer.Ordinal).FirstOrDefault()));
    }
}
