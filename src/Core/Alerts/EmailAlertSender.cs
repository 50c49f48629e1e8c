using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace KubeHa.Core.Alerts;

/// <summary>
/// Sends an alert as a plain-text e-mail through the channel's SMTP server with MailKit: STARTTLS (required), TLS or
/// plain, authentication when a user name is set. The server's acceptance reply is recorded. SMTP 4xx replies and
/// connection failures are retried; 5xx replies, refused credentials and TLS failures are refused (not retried).
/// </summary>
public sealed class EmailAlertSender : IAlertSender
{
    public AlertChannelKind Kind => AlertChannelKind.Email;

    public async Task<AlertSendResult> SendAsync(AlertChannel channel, AlertChannelSecrets secrets, AlertEvent alert, string? link, CancellationToken cancellationToken)
    {
        var settings = channel.Email ?? throw new InvalidOperationException($"Alert channel {channel.Id} is an e-mail channel without e-mail settings.");
        var (subject, text) = AlertFormatter.Email(alert, link);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.AddRange(settings.To.Select(MailboxAddress.Parse));
        message.Subject = subject;
        message.Date = alert.OccurredAt;
        message.Headers.Add("X-KubeHa-Event", AlertEventKinds.Name(alert.Event));
        message.Headers.Add("X-KubeHa-Event-Id", alert.Id.ToString("D"));
        message.Body = new TextPart("plain") { Text = text };

        var server = $"{settings.Host}:{settings.Port}";
        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(settings.Host, settings.Port, Secure(settings.Security), cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await smtp.AuthenticateAsync(settings.UserName, secrets.Password ?? "", cancellationToken);
            }

            var reply = await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return AlertSendResult.Delivered(Cut($"accepted by {server}: {reply}"));
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            var answered = Cut($"SMTP {code} {ex.Message}");
            return code >= 500
                ? AlertSendResult.Refused($"{server} refused the message ({ex.ErrorCode}): {answered}; not retried", answered)
                : AlertSendResult.Transient($"{server} deferred the message ({ex.ErrorCode}): {answered}", answered);
        }
        catch (AuthenticationException ex)
        {
            return AlertSendResult.Refused($"{server} refused the user name or password: {ex.Message}; not retried");
        }
        catch (SslHandshakeException ex)
        {
            return AlertSendResult.Refused($"TLS with {server} failed (is its certificate valid and trusted by this machine?): {ex.Message}; not retried");
        }
        catch (NotSupportedException ex)
        {
            // STARTTLS required but not offered, or no authentication mechanism in common.
            return AlertSendResult.Refused($"{server}: {ex.Message}; not retried");
        }
        catch (SmtpProtocolException ex)
        {
            return AlertSendResult.Transient($"{server} broke the SMTP conversation: {ex.Message}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or ServiceNotConnectedException)
        {
            return AlertSendResult.Transient($"No connection to {server}: {ex.Message}");
        }
    }

    private static SecureSocketOptions Secure(SmtpSecurity security) => security switch
    {
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    private static string Cut(string text) => AlertOutbox.Cut(text.ReplaceLineEndings(" "), AlertDelivery.MaxResultLength);

    /// <summary>True for localhost and loopback addresses, where an unencrypted SMTP connection never leaves the machine.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
