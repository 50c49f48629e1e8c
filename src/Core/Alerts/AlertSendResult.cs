namespace KubeHa.Core.Alerts;

/// <summary>What one attempt to send an alert did.</summary>
/// <param name="Outcome">Delivered, failed for now (retried), or refused (not retried).</param>
/// <param name="Result">What the receiver answered (<c>HTTP 503 Service Unavailable</c>, the SMTP reply), if it answered.</param>
/// <param name="Error">Why it failed, for operators (no secret: masked by the dispatcher before it is stored).</param>
/// <param name="RetryAfter">The receiver's own Retry-After, when it gave one.</param>
public sealed record AlertSendResult(AlertSendOutcome Outcome, string? Result, string? Error, TimeSpan? RetryAfter = null)
{
    public static AlertSendResult Delivered(string result) => new(AlertSendOutcome.Delivered, result, null);

    public static AlertSendResult Transient(string error, string? result = null, TimeSpan? retryAfter = null) => new(AlertSendOutcome.Transient, result, error, retryAfter);

    public static AlertSendResult Refused(string error, string? result = null) => new(AlertSendOutcome.Refused, result, error);
}
