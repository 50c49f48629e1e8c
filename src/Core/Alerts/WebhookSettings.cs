namespace KubeHa.Core.Alerts;

/// <summary>
/// What a webhook channel stores in clear: the format, where it posts as shown to people (scheme, host and port only:
/// the path and query of a chat webhook are its secret), and the names of its extra headers. The URL itself and the
/// header values are in the channel's protected secrets.
/// </summary>
public sealed record WebhookSettings(WebhookFormat Format, string Target, IReadOnlyList<string> HeaderNames);
