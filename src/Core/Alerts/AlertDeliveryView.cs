namespace KubeHa.Core.Alerts;

/// <summary>One delivery as the admin page and the API show it.</summary>
/// <param name="NextAttemptAt">When the next attempt is due (pending deliveries only).</param>
public sealed record AlertDeliveryView(
    long Id,
    int ChannelId,
    string ChannelName,
    Guid EventId,
    AlertEventKind Event,
    AlertSeverity Severity,
    string Summary,
    AlertDeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FinishedAt,
    string? Result,
    string? Error);
