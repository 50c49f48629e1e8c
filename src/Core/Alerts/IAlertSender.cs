namespace KubeHa.Core.Alerts;

/// <summary>Sends one alert through one kind of channel, once; the dispatcher retries and records.</summary>
public interface IAlertSender
{
    AlertChannelKind Kind { get; }

    /// <param name="channel">The channel (its clear settings).</param>
    /// <param name="secrets">Its decrypted secrets.</param>
    /// <param name="alert">What to send.</param>
    /// <param name="link">The panel page it is about, if a panel URL is configured.</param>
    /// <param name="cancellationToken">Cancelled at the attempt's timeout.</param>
    Task<AlertSendResult> SendAsync(AlertChannel channel, AlertChannelSecrets secrets, AlertEvent alert, string? link, CancellationToken cancellationToken);
}
