using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Alerts;

/// <summary>Recent deliveries, newest first, for the admin page and the API.</summary>
public sealed class AlertDeliveryReader(IDbContextFactory<KubeHaDbContext> dbFactory)
{
    public const int MaxLimit = 1000;

    /// <param name="channelId">One channel's deliveries; null for all.</param>
    /// <param name="status">Only deliveries in this status; null for all.</param>
    /// <param name="limit">At most this many (clamped to 1..<see cref="MaxLimit"/>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<AlertDeliveryView>> ListAsync(int? channelId, AlertDeliveryStatus? status, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = db.AlertDeliveries.AsQueryable();
        if (channelId is { } id)
        {
            deliveries = deliveries.Where(d => d.ChannelId == id);
        }

        if (status is { } s)
        {
            deliveries = deliveries.Where(d => d.Status == s);
        }

        return await QueryAsync(deliveries, limit, cancellationToken);
    }

    internal static async Task<IReadOnlyList<AlertDeliveryView>> QueryAsync(IQueryable<AlertDelivery> deliveries, int limit, CancellationToken cancellationToken)
    {
        var rows = await deliveries.AsNoTracking()
            .OrderByDescending(d => d.Id)
            .Take(Math.Clamp(limit, 1, MaxLimit))
            .Select(d => new
            {
                d.Id, d.ChannelId, ChannelName = d.Channel!.Name, d.EventId, d.Event, d.Severity, d.Summary, d.Status, d.Attempts,
                d.CreatedAt, d.LastAttemptAt, d.NextAttemptAt, d.FinishedAt, d.Result, d.Error,
            })
            .ToListAsync(cancellationToken);
        return rows.Select(d => new AlertDeliveryView(
                d.Id, d.ChannelId, d.ChannelName, d.EventId, d.Event, d.Severity, d.Summary, d.Status, d.Attempts, d.CreatedAt,
                d.LastAttemptAt, d.Status == AlertDeliveryStatus.Pending ? d.NextAttemptAt : null, d.FinishedAt, d.Result, d.Error))
            .ToList();
    }
}
