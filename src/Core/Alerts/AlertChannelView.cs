namespace KubeHa.Core.Alerts;

/// <summary>
/// A channel as the admin page and the API show it: never a secret (the webhook URL shows as scheme, host and port;
/// headers by name; the SMTP password as whether one is stored).
/// </summary>
public sealed record AlertChannelView(
    int Id,
    string Name,
    AlertChannelKind Kind,
    bool Enabled,
    IReadOnlyList<AlertEventKind> Events,
    WebhookSettings? Webhook,
    EmailSettings? Email,
    bool HasPassword,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    AlertDeliveryStatus? LastDeliveryStatus,
    DateTimeOffset? LastDeliveryAt)
{
    /// <summary>Where it sends, for people: <c>https://hooks.slack.com/…</c> or <c>ops@example.com via smtp.example.com:587</c>.</summary>
    public string Target => Webhook is { } w ? w.Target
        : Email is { } e ? $"{string.Join(", ", e.To)} via {e.Host}:{e.Port}"
        : "";
}
