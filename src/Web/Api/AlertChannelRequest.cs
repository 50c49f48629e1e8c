using KubeHa.Core.Alerts;

namespace KubeHa.Web.Api;

/// <summary>
/// An alert channel to create or replace. Webhook channels use <see cref="Url"/>, <see cref="Format"/> and
/// <see cref="Headers"/>; e-mail channels the <c>smtp*</c> fields, <see cref="From"/> and <see cref="To"/>. On a
/// replace (PUT), secrets left out (<see cref="Url"/>, a header's value, <see cref="SmtpPassword"/>) keep the stored ones.
/// </summary>
public sealed record AlertChannelRequest(
    string? Name,
    AlertChannelKind? Kind,
    bool? Enabled,
    IReadOnlyList<AlertEventKind>? Events,
    string? Url,
    WebhookFormat? Format,
    IReadOnlyList<AlertHeaderRequest>? Headers,
    string? SmtpHost,
    int? SmtpPort,
    SmtpSecurity? SmtpSecurity,
    string? SmtpUserName,
    string? SmtpPassword,
    string? From,
    IReadOnlyList<string>? To)
{
    public AlertChannelInput ToInput() => new()
    {
        Name = Name ?? "",
        Kind = Kind ?? AlertChannelKind.Webhook,
        Enabled = Enabled ?? true,
        Events = Events?.ToList() ?? [],
        Url = Url,
        Format = Format ?? WebhookFormat.Json,
        Headers = Headers?.Select(h => new AlertHeaderInput { Name = h.Name ?? "", Value = h.Value }).ToList() ?? [],
        SmtpHost = SmtpHost,
        SmtpPort = SmtpPort ?? DefaultPort(SmtpSecurity),
        SmtpSecurity = SmtpSecurity ?? Core.Alerts.SmtpSecurity.StartTls,
        SmtpUserName = SmtpUserName,
        SmtpPassword = SmtpPassword,
        From = From,
        To = To is null ? null : string.Join(',', To),
    };

    public override string ToString() => $"AlertChannelRequest {{ Name = {Name}, Kind = {Kind} }}";

    private static int DefaultPort(SmtpSecurity? security) => security switch
    {
        Core.Alerts.SmtpSecurity.Tls => 465,
        Core.Alerts.SmtpSecurity.None => 25,
        _ => 587,
    };
}

/// <summary>An extra webhook header; its value is a secret (write-only).</summary>
public sealed record AlertHeaderRequest(string? Name, string? Value)
{
    public override string ToString() => $"AlertHeaderRequest {{ Name = {Name} }}";
}
