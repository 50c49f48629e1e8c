namespace KubeHa.Core.Alerts;

/// <summary>
/// One alert for one channel: the durable outbox row, written with the event (often in the same transaction) and
/// updated after each attempt. An agent claims it by moving <see cref="NextAttemptAt"/> past the attempt's lease with a
/// compare-and-swap, so a crash mid-send makes it due again and two agents never send it at once.
/// </summary>
public sealed class AlertDelivery
{
    public const int MaxSummaryLength = 512;
    public const int MaxResultLength = 512;
    public const int MaxErrorLength = 2000;
    public const int MaxDeduplicationKeyLength = 256;

    public long Id { get; set; }

    public int ChannelId { get; set; }

    public AlertChannel? Channel { get; set; }

    /// <summary><see cref="AlertEvent.Id"/>: the same for every channel and every retry.</summary>
    public Guid EventId { get; set; }

    public AlertEventKind Event { get; set; }

    public AlertSeverity Severity { get; set; }

    public required string Summary { get; set; }

    /// <summary>The <see cref="AlertEvent"/> as JSON (<see cref="AlertJson"/>); it carries no secret.</summary>
    public required string Payload { get; set; }

    public string? DeduplicationKey { get; set; }

    public AlertDeliveryStatus Status { get; set; }

    /// <summary>Attempts started so far (an attempt cut short by a crash counts).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it is due (Pending), or until when the agent holding it may send it.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>When it was delivered, given up or cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Agent that made the last attempt.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>What the receiver answered to the last attempt: <c>HTTP 200 OK</c>, the SMTP server's reply.</summary>
    public string? Result { get; set; }

    /// <summary>Why the last attempt failed (secrets masked).</summary>
    public string? Error { get; set; }
}
