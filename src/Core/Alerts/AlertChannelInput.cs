namespace KubeHa.Core.Alerts;

/// <summary>
/// A channel as an administrator enters it (page or API). Secrets (<see cref="Url"/>, header values,
/// <see cref="SmtpPassword"/>) left empty on an edit keep the stored ones.
/// </summary>
public sealed class AlertChannelInput
{
    public string Name { get; set; } = "";

    public AlertChannelKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    public List<AlertEventKind> Events { get; set; } = [];

    /// <summary>Webhook: where to POST (http or https). A secret: chat webhooks carry their token in it.</summary>
    public string? Url { get; set; }

    public WebhookFormat Format { get; set; }

    /// <summary>Webhook: extra request headers (e.g. <c>Authorization</c>); values are secrets.</summary>
    public List<AlertHeaderInput> Headers { get; set; } = [];

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    public SmtpSecurity SmtpSecurity { get; set; }

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    public string? From { get; set; }

    /// <summary>Recipients, separated by commas, semicolons or line breaks.</summary>
    public string? To { get; set; }

    public override string ToString() => $"AlertChannelInput {{ Name = {Name}, Kind = {Kind} }}";
}
