namespace KubeHa.Testing.Alerts;

/// <summary>A request the <see cref="WebhookReceiver"/> got, and the status it answered with.</summary>
public sealed record ReceivedRequest(DateTimeOffset At, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith);
