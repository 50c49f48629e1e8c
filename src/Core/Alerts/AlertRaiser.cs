using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Alerts;

/// <summary>
/// The one-line way to raise an alert from Core:
/// <code>await alerts.RaiseAsync(AlertEvent.BackupFailed(cluster, backup, time.GetUtcNow()), ct);</code>
/// It stores the alert in the outbox for every subscribed channel (durable from then on: retried with back-off, kept
/// across restarts) and wakes the delivery loop. Inside a transaction of your own, use
/// <see cref="AlertOutbox.EnqueueAsync"/> with your context instead, so the alert commits with your change.
/// </summary>
public sealed class AlertRaiser(IDbContextFactory<KubeHaDbContext> dbFactory, AlertDeliverySignal signal)
{
    /// <returns>How many channels will receive it (0: none subscribed, or all deduplicated).</returns>
    public async Task<int> RaiseAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var channels = await AlertOutbox.EnqueueAsync(db, alert, cancellationToken);
        if (channels > 0)
        {
            signal.Notify();
        }

        return channels;
    }
}
