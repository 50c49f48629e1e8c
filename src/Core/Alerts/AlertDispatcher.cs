using System.Text.Json;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Alerts;

/// <summary>
/// Sends due deliveries from the outbox. Each is claimed with a compare-and-swap (status Pending, attempts as read,
/// due now → attempts + 1, held for <see cref="AlertsOptions.Lease"/>), sent once under
/// <see cref="AlertsOptions.SendTimeout"/>, and its outcome recorded only while this claim still holds: delivered,
/// pending again after the back-off, or failed (refused, or the last attempt). Delivery is at least once: an agent
/// that dies after sending and before recording leaves it to be sent again after the lease; receivers deduplicate on
/// the event id.
/// </summary>
public sealed partial class AlertDispatcher(
    IDbContextFactory<KubeHaDbContext> dbFactory,
    IEnumerable<IAlertSender> senders,
    ISecretProtector protector,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertDispatcher> logger)
{
    private const int BatchSize = 50;

    private readonly Dictionary<AlertChannelKind, IAlertSender> _senders = senders.ToDictionary(s => s.Kind);

    /// <summary>One pass: sends every delivery due now (up to a batch), in parallel; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(string agent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<DueDelivery> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.AlertDeliveries.AsNoTracking()
                .Where(d => d.Status == AlertDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Select(d => new DueDelivery(d.Id, d.Attempts))
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var attempted = 0;
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
            async (d, ct) =>
            {
                if (await TryDeliverAsync(d, agent, ct))
                {
                    Interlocked.Increment(ref attempted);
                }
            });
        return attempted;
    }

    /// <summary>
    /// Sends a test message to one channel now, once, and records it as a delivery (no retry: the administrator sees
    /// the outcome at once). Null when the channel does not exist.
    /// </summary>
    public async Task<AlertDeliveryView?> SendTestAsync(int channelId, string? requestedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        long id;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var name = await db.AlertChannels.Where(c => c.Id == channelId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken);
            if (name is null)
            {
                return null;
            }

            var alert = AlertEvent.Test(name, requestedBy, now);
            var delivery = AlertOutbox.NewDelivery(channelId, alert, AlertJson.Serialize(alert), null);
            delivery.Attempts = 1;
            delivery.LastAttemptAt = now;
            delivery.NextAttemptAt = now + options.Value.Lease;
            delivery.ClaimedBy = requestedBy is null ? "test" : AlertOutbox.Cut($"test by {requestedBy}", 128);
            db.AlertDeliveries.Add(delivery);
            await db.SaveChangesAsync(cancellationToken);
            id = delivery.Id;
        }

        var result = await SendAsync(id, cancellationToken);
        await RecordAsync(id, 1, claimedBy: null, result with { Outcome = result.Outcome == AlertSendOutcome.Delivered ? result.Outcome : AlertSendOutcome.Refused }, cancellationToken);
        await using var read = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await AlertDeliveryReader.QueryAsync(read.AlertDeliveries.Where(d => d.Id == id), 1, cancellationToken)).Single();
    }

    /// <summary>Deletes finished deliveries older than <see cref="AlertsOptions.KeepDeliveries"/>; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.KeepDeliveries;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AlertDeliveries
            .Where(d => d.Status != AlertDeliveryStatus.Pending && d.CreatedAt < before)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<bool> TryDeliverAsync(DueDelivery due, string agent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempt = due.Attempts + 1;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var claimed = await db.AlertDeliveries
                .Where(d => d.Id == due.Id && d.Status == AlertDeliveryStatus.Pending && d.Attempts == due.Attempts && d.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Attempts, attempt)
                    .SetProperty(d => d.NextAttemptAt, now + options.Value.Lease)
                    .SetProperty(d => d.LastAttemptAt, now)
                    .SetProperty(d => d.ClaimedBy, agent), cancellationToken);
            if (claimed != 1)
            {
                return false; // another agent took it, or it was cancelled meanwhile
            }
        }

        var result = await SendAsync(due.Id, cancellationToken);
        await RecordAsync(due.Id, attempt, agent, result, cancellationToken);
        return true;
    }

    /// <summary>One attempt, bounded by the send timeout; never throws for the receiver's or the network's failures.</summary>
    private async Task<AlertSendResult> SendAsync(long deliveryId, CancellationToken cancellationToken)
    {
        AlertDelivery delivery;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            delivery = await db.AlertDeliveries.AsNoTracking().Include(d => d.Channel).SingleAsync(d => d.Id == deliveryId, cancellationToken);
        }

        var channel = delivery.Channel!;
        AlertChannelSecrets secrets;
        AlertEvent alert;
        try
        {
            secrets = JsonSerializer.Deserialize<AlertChannelSecrets>(protector.Unprotect(channel.ProtectedSecrets), AlertJson.Options) ?? new();
            alert = AlertJson.Deserialize(delivery.Payload);
        }
        catch (Exception ex) when (ex is SecretUnreadableException or JsonException)
        {
            return AlertSendResult.Refused(ex.Message);
        }

        var timeout = options.Value.SendTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var masker = new KnownSecretMasker(secrets.Values());
        AlertSendResult result;
        try
        {
            result = await _senders[channel.Kind].SendAsync(channel, secrets, alert, AlertFormatter.Link(alert, options.Value.PanelUrl), bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = AlertSendResult.Transient($"No answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            result = AlertSendResult.Transient($"Sending failed unexpectedly ({ex.GetType().Name}): {ex.Message}");
        }

        result = result with { Result = result.Result is null ? null : masker.Apply(result.Result), Error = result.Error is null ? null : masker.Apply(result.Error) };
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["AlertDeliveryId"] = deliveryId, ["AlertChannel"] = channel.Name });
        if (result.Outcome == AlertSendOutcome.Delivered)
        {
            LogDelivered(logger, delivery.Event, channel.Name, deliveryId, result.Result ?? "");
        }
        else
        {
            LogAttemptFailed(logger, delivery.Event, channel.Name, deliveryId, result.Error ?? "");
        }

        return result;
    }

    private async Task RecordAsync(long id, int attempt, string? claimedBy, AlertSendResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var giveUp = result.Outcome == AlertSendOutcome.Refused || attempt >= options.Value.MaxAttempts;
        var status = result.Outcome == AlertSendOutcome.Delivered ? AlertDeliveryStatus.Delivered
            : giveUp ? AlertDeliveryStatus.Failed
            : AlertDeliveryStatus.Pending;
        var error = result.Error is null ? null
            : AlertOutbox.Cut(status == AlertDeliveryStatus.Failed && result.Outcome == AlertSendOutcome.Transient ? $"{result.Error} (gave up after {attempt} attempts)" : result.Error, AlertDelivery.MaxErrorLength);
        var answer = result.Result is null ? null : AlertOutbox.Cut(result.Result, AlertDelivery.MaxResultLength);
        var next = status == AlertDeliveryStatus.Pending ? now + options.Value.BackoffAfter(attempt, result.RetryAfter) : now;
        DateTimeOffset? finished = status == AlertDeliveryStatus.Pending ? null : now;

        // Recorded outside the caller's token: an outcome already known is worth keeping through a shutdown.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var db = await dbFactory.CreateDbContextAsync(bounded.Token);
        var claim = db.AlertDeliveries.Where(d => d.Id == id && d.Status == AlertDeliveryStatus.Pending && d.Attempts == attempt);
        if (claimedBy is not null)
        {
            claim = claim.Where(d => d.ClaimedBy == claimedBy);
        }

        var recorded = await claim
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.FinishedAt, finished)
                .SetProperty(d => d.Result, answer)
                .SetProperty(d => d.Error, error), bounded.Token);
        if (recorded == 1 && status == AlertDeliveryStatus.Failed)
        {
            LogGaveUp(logger, id, attempt, error ?? "");
        }
    }

    private sealed record DueDelivery(long Id, int Attempts);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Alert {Event} delivered to channel {Channel} (delivery {DeliveryId}): {Result}")]
    private static partial void LogDelivered(ILogger logger, AlertEventKind @event, string channel, long deliveryId, string result);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Alert {Event} to channel {Channel} (delivery {DeliveryId}) failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, AlertEventKind @event, string channel, long deliveryId, string error);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Error, Message = "Alert delivery {DeliveryId} given up after attempt {Attempt}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, long deliveryId, int attempt, string error);
}
