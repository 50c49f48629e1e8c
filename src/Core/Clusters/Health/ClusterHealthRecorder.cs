using KubeHa.Core.Alerts;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// Stores what the health monitor found: Healthy &lt;-&gt; Degraded with the reasons and the time of the check. Only a
/// provisioned cluster no run holds is touched: the write is a compare-and-swap on (status as read, ActiveRunId null),
/// so a run that claims the cluster, or leaves it Failed/Provisioning/Resetting, always wins over a check that raced it.
/// </summary>
public sealed class ClusterHealthRecorder(IDbContextFactory<KubeHaDbContext> dbFactory, ClusterHealthEvents events)
{
    /// <summary>Column size of <see cref="Cluster.HealthReasons"/>; longer lists are cut (whole reasons, then "...").</summary>
    public const int MaxReasonsLength = 2000;

    private const string More = "…";

    /// <summary>Provisioned clusters (Healthy or Degraded) that no run holds, by id.</summary>
    public async Task<IReadOnlyList<MonitoredCluster>> ListMonitoredAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clusters.AsNoTracking()
            .Where(c => c.ActiveRunId == null && (c.Status == ClusterStatus.Healthy || c.Status == ClusterStatus.Degraded))
            .OrderBy(c => c.Id)
            .Select(c => new MonitoredCluster(c.Id, c.Name, c.Zone, c.Status))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Stores one check: Degraded with <paramref name="reasons"/> when there are any, else Healthy. Not recorded when a
    /// run holds the cluster or its status is no longer Healthy/Degraded.
    /// </summary>
    public async Task<HealthRecordOutcome> RecordAsync(int clusterId, IReadOnlyList<string> reasons, DateTimeOffset checkedAt, CancellationToken cancellationToken)
    {
        var status = reasons.Count > 0 ? ClusterStatus.Degraded : ClusterStatus.Healthy;
        var stored = reasons.Count > 0 ? JoinReasons(reasons) : null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Two tries: a concurrent check (another agent of the zone) may flip Healthy<->Degraded between read and write.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var previous = await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).Select(c => (ClusterStatus?)c.Status).SingleOrDefaultAsync(cancellationToken);
            if (previous is not (ClusterStatus.Healthy or ClusterStatus.Degraded))
            {
                return HealthRecordOutcome.NotRecorded;
            }

            // A transition and its alert (cluster-degraded / cluster-recovered) commit together.
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var updated = await db.Clusters
                .Where(c => c.Id == clusterId && c.ActiveRunId == null && c.Status == previous)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.Status, status).SetProperty(c => c.HealthReasons, stored).SetProperty(c => c.HealthCheckedAt, checkedAt),
                    cancellationToken);
            if (updated == 1)
            {
                var outcome = new HealthRecordOutcome(true, previous.Value, status, SplitReasons(stored));
                if (outcome.TurnedDegraded || outcome.Recovered)
                {
                    var cluster = new AlertCluster(clusterId, await db.Clusters.Where(c => c.Id == clusterId).Select(c => c.Name).SingleAsync(cancellationToken));
                    await AlertOutbox.EnqueueAsync(
                        db,
                        outcome.TurnedDegraded ? AlertEvent.ClusterDegraded(cluster, outcome.Reasons, checkedAt) : AlertEvent.ClusterRecovered(cluster, checkedAt),
                        cancellationToken);
                }

                await tx.CommitAsync(cancellationToken);
                events.PublishHealthRecorded(clusterId);
                return outcome;
            }

            await tx.RollbackAsync(cancellationToken);
        }

        return HealthRecordOutcome.NotRecorded;
    }

    /// <summary>The stored reasons as a list (empty for null).</summary>
    public static IReadOnlyList<string> SplitReasons(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string JoinReasons(IReadOnlyList<string> reasons)
    {
        var kept = new List<string>();
        var length = 0;
        foreach (var reason in reasons.Select(r => r.ReplaceLineEndings(" ").Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var cut = reason.Length > 200 ? reason[..200] + More : reason;
            if (length + cut.Length + 1 > MaxReasonsLength - More.Length - 1)
            {
                kept.Add(More);
                break;
            }

            kept.Add(cut);
            length += cut.Length + 1;
        }

        return string.Join('\n', kept);
    }
}
