using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>The runs history, newest first: of every cluster (the Runs page) or of one.</summary>
public sealed class RunHistory(IDbContextFactory<KubeHaDbContext> dbFactory)
{
    public const int MaxLimit = 1000;

    public async Task<IReadOnlyList<RunHistoryEntry>> ListAsync(int? clusterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking()
            .Where(r => clusterId == null || r.ClusterId == clusterId)
            .OrderByDescending(r => r.Id)
            .Take(Math.Clamp(limit, 1, MaxLimit))
            .Select(r => new { r.Id, r.ClusterId, ClusterName = r.Cluster!.Name, r.Plan, r.TargetHostIds, r.StartedByUser, r.CreatedAt, r.StartedAt, r.FinishedAt, r.Status, r.Attempt, r.Error })
            .ToListAsync(cancellationToken);
        var hostIds = runs.SelectMany(r => r.TargetHostIds ?? []).Distinct().ToList();
        var names = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Name, cancellationToken);
        return runs.Select(r => new RunHistoryEntry(
            r.Id, r.ClusterId, r.ClusterName, r.Plan,
            (r.TargetHostIds ?? []).Select(id => names.GetValueOrDefault(id) ?? $"host #{id} (deleted)").ToList(),
            r.StartedByUser, r.CreatedAt, r.StartedAt, r.FinishedAt, r.Status, r.Attempt, r.Error)).ToList();
    }
}
