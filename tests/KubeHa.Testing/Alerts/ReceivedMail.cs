namespace KubeHa.Testing.Alerts;

/// <summary>A message the <see cref="SmtpSink"/> accepted: envelope, authenticated user, subject, text and headers.</summary>
public sealed record ReceivedMail(
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    string? AuthenticatedUser,
    string Subject,
    string Text,
    IReadOnlyDictionary<string, string> Headers);
