using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Audit;

/// <summary>Writes and reads the audit log (append-only: nothing here updates or deletes an entry).</summary>
public sealed class AuditLog(IDbContextFactory<KubeHaDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxTextLength = 512;

    /// <summary>Records an action now. Texts are cut to <see cref="MaxTextLength"/> characters.</summary>
    public async Task RecordAsync(
        string actor, string action, string? target = null, string? detail = null, bool succeeded = true,
        string? via = null, string? remoteAddress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            Time = clock.GetUtcNow(),
            Actor = Cut(actor) ?? "",
            Via = Cut(via),
            Action = action,
            Target = Cut(target),
            Detail = Cut(detail),
            Succeeded = succeeded,
            RemoteAddress = Cut(remoteAddress),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            var lowered = actor.ToLowerInvariant();
            // lower() in SQL works on SQLite and PostgreSQL alike (a NOCASE collation exists only in SQLite);
            // string.Equals(..., OrdinalIgnoreCase), which CA1862 suggests, does not translate to SQL.
#pragma warning disable CA1862
            entries = entries.Where(e => e.Actor.ToLower() == lowered);
#pragma warning restore CA1862
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            // "host" matches every host action; "host.created" only that one.
            var action = query.Action.Trim();
            entries = entries.Where(e => e.Action == action || e.Action.StartsWith(action + "."));
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.Time >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.Time <= to);
        }

        return await entries.OrderByDescending(e => e.Id).Take(Math.Clamp(query.Limit, 1, 5000)).ToListAsync(cancellationToken);
    }

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;
}
