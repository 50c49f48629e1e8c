using System.Net.Http;
using System.Net.Sockets;

namespace KubeHa.Lab.Sim;

/// <summary>HTTPS calls to a (simulated) apiserver over the lab network, with Go-like error wording.</summary>
internal static class ApiProbe
{
    public static HttpClient Client(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        ConnectTimeout = timeout,
    })
    { Timeout = timeout };

    public static string? Healthz(string server, TimeSpan timeout)
    {
        try
        {
            using var c = Client(timeout);
            var r = c.GetAsync(server.TrimEnd('/') + "/healthz").GetAwaiter().GetResult();
            return r.IsSuccessStatusCode ? null : $"unexpected status {(int)r.StatusCode}";
        }
        catch (Exception e) { return GoError(server, e); }
    }

    public static string GoError(string server, Exception e)
    {
        var hostPort = new Uri(server).Authority;
        return e switch
        {
            HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => $"dial tcp {hostPort}: connect: connection refused",
            HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } } => $"dial tcp {hostPort}: connect: no route to host",
            TaskCanceledException or OperationCanceledException => $"dial tcp {hostPort}: i/o timeout",
            HttpRequestException h => $"dial tcp {hostPort}: {h.InnerException?.Message ?? h.Message}",
            _ => e.Message,
        };
    }
}
