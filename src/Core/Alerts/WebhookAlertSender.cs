using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KubeHa.Core.Alerts;

/// <summary>
/// POSTs an alert as JSON (KubeHa's payload or Slack's) to the channel's URL with its extra headers. 2xx is delivered;
/// 408, 425, 429 and 5xx are retried (honouring Retry-After); other 4xx and redirects are refused (a redirect is not
/// followed: the body would go to an address nobody configured).
/// </summary>
public sealed class WebhookAlertSender : IAlertSender, IDisposable
{
    /// <summary>Sent with every request; receivers may filter on them.</summary>
    public const string EventHeader = "X-KubeHa-Event";

    public const string EventIdHeader = "X-KubeHa-Event-Id";

    private const int MaxBodyExcerpt = 300;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the dispatcher's token bounds each attempt
    };

    public AlertChannelKind Kind => AlertChannelKind.Webhook;

    public async Task<AlertSendResult> SendAsync(AlertChannel channel, AlertChannelSecrets secrets, AlertEvent alert, string? link, CancellationToken cancellationToken)
    {
        var settings = channel.Webhook ?? throw new InvalidOperationException($"Alert channel {channel.Id} is a webhook without webhook settings.");
        var body = settings.Format == WebhookFormat.Slack ? AlertFormatter.Slack(alert, link) : AlertFormatter.Json(alert, link);
        using var request = new HttpRequestMessage(HttpMethod.Post, secrets.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("KubeHa", "1"));
        request.Headers.Add(EventHeader, AlertEventKinds.Name(alert.Event));
        request.Headers.Add(EventIdHeader, alert.Id.ToString("D"));
        foreach (var (name, value) in secrets.Headers ?? new Dictionary<string, string>())
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return AlertSendResult.Transient($"No answer from {settings.Target}: {Describe(ex)}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var answered = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
            if (response.IsSuccessStatusCode)
            {
                return AlertSendResult.Delivered(answered);
            }

            var excerpt = await ExcerptAsync(response, cancellationToken);
            var detail = excerpt.Length > 0 ? $"{answered}: {excerpt}" : answered;
            if (status is >= 300 and < 400)
            {
                return AlertSendResult.Refused($"{answered}: the receiver redirects (to {response.Headers.Location?.GetLeftPart(UriPartial.Authority) ?? "?"}); KubeHa does not follow redirects, configure the final URL", answered);
            }

            if (status is 408 or 425 or 429 || status >= 500)
            {
                return AlertSendResult.Transient(detail, answered, RetryAfter(response));
            }

            return AlertSendResult.Refused($"{detail} (refused by the receiver; not retried)", answered);
        }
    }

    public void Dispose() => _http.Dispose();

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : null,
        _ => null,
    };

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxBodyExcerpt * 4];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var text = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return new string(text.Where(c => !char.IsControl(c)).Take(MaxBodyExcerpt).ToArray());
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException is { } i && i.Message != ex.Message ? $" ({i.Message})" : "";
        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name does not resolve" + inner,
            HttpRequestError.ConnectionError => "connection failed" + inner,
            HttpRequestError.SecureConnectionError => "TLS failed (is the server's certificate trusted by this machine?)" + inner,
            _ => ex.Message + inner,
        };
    }
}
