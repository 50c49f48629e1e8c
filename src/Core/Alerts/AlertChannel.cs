namespace KubeHa.Core.Alerts;

/// <summary>Where alerts go: one webhook or one e-mail setup, and the events it subscribes to.</summary>
public sealed class AlertChannel
{
    public const int MaxNameLength = 128;

    public int Id { get; set; }

    public required string Name { get; set; }

    public AlertChannelKind Kind { get; set; }

    /// <summary>A disabled channel gets no new deliveries; its pending ones are cancelled when it is disabled.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The events it receives.</summary>
    public List<AlertEventKind> Events { get; set; } = [];

    /// <summary>Set for <see cref="AlertChannelKind.Webhook"/>.</summary>
    public WebhookSettings? Webhook { get; set; }

    /// <summary>Set for <see cref="AlertChannelKind.Email"/>.</summary>
    public EmailSettings? Email { get; set; }

    /// <summary><see cref="AlertChannelSecrets"/> as JSON, encrypted.</summary>
    public required string ProtectedSecrets { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
