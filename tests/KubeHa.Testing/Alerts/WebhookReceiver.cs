using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeHa.Testing.Alerts;

/// <summary>
/// A real HTTP receiver: Kestrel on a free loopback port, recording every request (method, path, headers, body) and
/// answering with the status a test scripts (<see cref="AnswerNext"/>), 200 otherwise.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _answers = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Map("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Urls.Single());
        return receiver;
    }

    /// <summary>The URL of <paramref name="path"/> on this receiver.</summary>
    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get <paramref name="status"/> (with a Retry-After header when given).</summary>
    public void AnswerNext(string path, int status, int times = 1, string? retryAfter = null)
    {
        var queue = _answers.GetOrAdd(path, _ => new());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue((status, retryAfter));
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests matching <paramref name="match"/> arrived (bounded).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<ReceivedRequest, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var found = _requests.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Expected {count} matching request(s); the receiver got {_requests.Count}: {string.Join(" | ", _requests.Select(r => $"{r.Path} -> {r.AnsweredWith}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var (status, retryAfter) = _answers.TryGetValue(http.Request.Path, out var queue) && queue.TryDequeue(out var scripted) ? scripted : (200, null);
        _requests.Enqueue(new ReceivedRequest(
            DateTimeOffset.UtcNow,
            http.Request.Method,
            http.Request.Path + http.Request.QueryString,
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            status));
        http.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            http.Response.Headers.RetryAfter = retryAfter;
        }

        await http.Response.WriteAsync(status < 300 ? "ok" : $"scripted failure {status}");
    }
}
