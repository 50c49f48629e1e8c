using KubeHa.Core.Alerts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Agents;

/// <summary>
/// The agents table: each agent upserts its row every heartbeat interval; an agent whose heartbeat is older than
/// <see cref="AgentsOptions.StaleAfter"/> (or that said it stopped) is offline.
/// </summary>
public sealed class AgentRegistry(IDbContextFactory<KubeHaDbContext> dbFactory, IOptions<AgentsOptions> options, TimeProvider time)
{
    public TimeSpan StaleAfter => options.Value.StaleAfter;

    /// <summary>Writes the agent's heartbeat (creating its row on the first one).</summary>
    public async Task HeartbeatAsync(string name, string version, string machine, IReadOnlyList<string> zones, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var queues = string.Join(',', zones);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var updated = await db.Agents.Where(a => a.Name == name).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.HeartbeatAt, now)
                .SetProperty(a => a.StartedAt, startedAt)
                .SetProperty(a => a.Version, version)
                .SetProperty(a => a.Machine, machine)
                .SetProperty(a => a.Queues, queues)
                .SetProperty(a => a.StoppedAt, (DateTimeOffset?)null), cancellationToken);
            if (updated == 1)
            {
                await ClearOfflineAsync(db, name, now, cancellationToken);
                return;
            }

            db.Agents.Add(new AgentRecord { Name = name, Version = version, Machine = machine, Queues = queues, StartedAt = startedAt, HeartbeatAt = now });
            if (await db.TrySaveChangesAsync(cancellationToken))
            {
                return;
            }

            // Another process inserted the same name between the update and the insert: update it.
        }
    }

    /// <summary>
    /// Agents that went silent (heartbeat older than <see cref="AgentsOptions.StaleAfter"/>) without a clean stop and
    /// were not reported yet: each is marked with a compare-and-swap, so exactly one watcher raises its agent-offline
    /// alert, in the same transaction. Returns the names marked now.
    /// </summary>
    public async Task<IReadOnlyList<string>> MarkOfflineAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - options.Value.StaleAfter;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var silent = await db.Agents.AsNoTracking()
            .Where(a => a.StoppedAt == null && a.OfflineAlertedAt == null && a.HeartbeatAt < since)
            .ToListAsync(cancellationToken);
        var marked = new List<string>();
        foreach (var agent in silent)
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var updated = await db.Agents
                .Where(a => a.Name == agent.Name && a.StoppedAt == null && a.OfflineAlertedAt == null && a.HeartbeatAt < since)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.OfflineAlertedAt, now), cancellationToken);
            if (updated == 1)
            {
                await AlertOutbox.EnqueueAsync(db, AlertEvent.AgentOffline(Describe(agent), options.Value.StaleAfter, now), cancellationToken);
                marked.Add(agent.Name);
            }

            await tx.CommitAsync(cancellationToken);
        }

        return marked;
    }

    /// <summary>An agent reported offline is heard from again: clears the mark and raises agent-online, together.</summary>
    private static async Task ClearOfflineAsync(KubeHaDbContext db, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name && a.OfflineAlertedAt != null, cancellationToken);
        if (agent is null)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var cleared = await db.Agents.Where(a => a.Name == name && a.OfflineAlertedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.OfflineAlertedAt, (DateTimeOffset?)null), cancellationToken);
        if (cleared == 1)
        {
            await AlertOutbox.EnqueueAsync(db, AlertEvent.AgentOnline(Describe(agent) with { LastHeartbeatAt = now }, now), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    private static AlertAgent Describe(AgentRecord agent) =>
        new(agent.Name, agent.Machine, agent.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries), agent.HeartbeatAt);

    /// <summary>
    /// Forgets agents silent for longer than <paramref name="olderThan"/> that own no running run (default names
    /// carry the process id, so every restart of an unnamed agent adds a row). Returns how many were removed.
    /// </summary>
    public async Task<int> PruneAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var before = time.GetUtcNow() - olderThan;
        return await db.Agents
            .Where(a => a.HeartbeatAt < before && !db.Runs.Any(r => r.Status == RunStatus.Running && r.ClaimedBy == a.Name))
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A clean stop: the agent is offline at once, and its runs (if any were left) are taken over.</summary>
    public async Task MarkStoppedAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.Agents.Where(a => a.Name == name).ExecuteUpdateAsync(s => s.SetProperty(a => a.StoppedAt, now), cancellationToken);
    }

    /// <summary>Names of the agents alive now (recent heartbeat, not stopped).</summary>
    public async Task<IReadOnlySet<string>> OnlineNamesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = time.GetUtcNow() - options.Value.StaleAfter;
        var names = await db.Agents.Where(a => a.StoppedAt == null && a.HeartbeatAt >= since).Select(a => a.Name).ToListAsync(cancellationToken);
        return names.ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<AgentStatus>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().ToListAsync(cancellationToken);
        var running = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.ClaimedBy != null)
            .Select(r => new { r.ClaimedBy, Run = new AgentRun(r.Id, r.ClusterId, r.Cluster!.Name, r.Plan, r.Attempt) })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return agents
            .Select(a =>
            {
                var age = now - a.HeartbeatAt;
                return new AgentStatus(
                    a.Name,
                    a.Version,
                    a.Machine,
                    a.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries),
                    a.StartedAt,
                    a.HeartbeatAt,
                    age < TimeSpan.Zero ? TimeSpan.Zero : age,
                    a.StoppedAt is null && age <= options.Value.StaleAfter,
                    a.StoppedAt,
                    running.Where(r => r.ClaimedBy == a.Name).Select(r => r.Run).OrderBy(r => r.RunId).ToList());
            })
            .OrderByDescending(a => a.Online)
            .ThenBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
    }
}
