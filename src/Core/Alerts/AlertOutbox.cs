using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Alerts;

/// <summary>
/// Writes an alert into the durable outbox: one <see cref="AlertDelivery"/> per enabled channel subscribed to its kind
/// (minus channels that already got its <see cref="AlertEvent.DeduplicationKey"/> within the window). Called with the
/// caller's context, inside its transaction when it has one, so the alert is stored if and only if what it reports is
/// (a run's outcome, a health transition): a crash can lose neither. An agent's delivery loop sends it.
/// </summary>
public static class AlertOutbox
{
    /// <summary>Adds and saves the deliveries; returns how many channels will receive the alert.</summary>
    public static async Task<int> EnqueueAsync(KubeHaDbContext db, AlertEvent alert, CancellationToken cancellationToken)
    {
        var channels = await db.AlertChannels.AsNoTracking()
            .Where(c => c.Enabled)
            .Select(c => new { c.Id, c.Events })
            .ToListAsync(cancellationToken);
        var subscribed = channels.Where(c => c.Events.Contains(alert.Event)).Select(c => c.Id).ToList();
        if (subscribed.Count == 0)
        {
            return 0;
        }

        var key = alert.DeduplicationKey is { } k ? Cut(k, AlertDelivery.MaxDeduplicationKeyLength) : null;
        if (key is not null)
        {
            var since = alert.OccurredAt.ToUniversalTime() - alert.DeduplicationWindow;
            var already = await db.AlertDeliveries.AsNoTracking()
                .Where(d => subscribed.Contains(d.ChannelId) && d.DeduplicationKey == key && d.CreatedAt >= since && d.Status != AlertDeliveryStatus.Cancelled)
                .Select(d => d.ChannelId)
                .Distinct()
                .ToListAsync(cancellationToken);
            subscribed.RemoveAll(already.Contains);
        }

        var payload = AlertJson.Serialize(alert);
        foreach (var channelId in subscribed)
        {
            db.AlertDeliveries.Add(NewDelivery(channelId, alert, payload, key));
        }

        await db.SaveChangesAsync(cancellationToken);
        return subscribed.Count;
    }

    // UTC: PostgreSQL's timestamptz takes offset 0 only, and a raiser may pass a local time.
    internal static AlertDelivery NewDelivery(int channelId, AlertEvent alert, string payload, string? deduplicationKey) => new()
    {
        ChannelId = channelId,
        EventId = alert.Id,
        Event = alert.Event,
        Severity = alert.Severity,
        Summary = Cut(alert.Summary, AlertDelivery.MaxSummaryLength),
        Payload = payload,
        DeduplicationKey = deduplicationKey,
        Status = AlertDeliveryStatus.Pending,
        CreatedAt = alert.OccurredAt.ToUniversalTime(),
        NextAttemptAt = alert.OccurredAt.ToUniversalTime(),
    };

    internal static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
