using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KubeHa.Testing.Processes;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace KubeHa.Testing.Alerts;

/// <summary>
/// A real SMTP server (the SmtpServer package: ESMTP, AUTH PLAIN/LOGIN, pipelining) listening on a free loopback port
/// in the test process. Chosen over smtp4dev, which would start a second ASP.NET application per fixture and be read
/// through its web API: this one starts in milliseconds, needs no tool installed on a CI machine, and lets a test make
/// it defer or refuse messages with real SMTP reply codes. It keeps every accepted message (parsed with MimeKit) and
/// the user each session authenticated as.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SmtpResponse>> _replies = new(StringComparer.OrdinalIgnoreCase);
    private Task _serving = Task.CompletedTask;

    private SmtpSink(int port, string? userName, string? password)
    {
        Port = port;
        UserName = userName;
        Password = password;
    }

    public int Port { get; }

    public string? UserName { get; }

    public string? Password { get; }

    public IReadOnlyList<ReceivedMail> Messages => _messages.ToArray();

    /// <summary>Sessions that tried to authenticate with a wrong user name or password.</summary>
    public int FailedLogins => _failedLogins;

    private int _failedLogins;

    /// <param name="userName">When set, the server requires AUTH with this user name and <paramref name="password"/>.</param>
    /// <param name="password">The password it accepts.</param>
    public static async Task<SmtpSink> StartAsync(string? userName = null, string? password = null)
    {
        var sink = new SmtpSink(AppProcess.FreePort(), userName, password);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("kubeha-test-smtp")
            .Endpoint(e => e
                .Endpoint(new IPEndPoint(IPAddress.Loopback, sink.Port))
                .AuthenticationRequired(userName is not null)
                .AllowUnsecureAuthentication(true))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(sink));
        services.Add(new DelegatingUserAuthenticator((user, pass) =>
        {
            var ok = user == sink.UserName && pass == sink.Password;
            if (!ok)
            {
                Interlocked.Increment(ref sink._failedLogins);
            }

            return ok;
        }));
        var server = new SmtpServer.SmtpServer(options, services);
        sink._serving = server.StartAsync(sink._stop.Token);
        await sink.WaitListeningAsync();
        return sink;
    }

    /// <summary>The next messages to <paramref name="recipient"/> get these replies instead of 250 (e.g. 451 to defer, 554 to refuse), one each.</summary>
    public void ReplyNext(string recipient, params SmtpResponse[] replies)
    {
        var queue = _replies.GetOrAdd(recipient, _ => new());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    /// <summary>Waits for an accepted message matching <paramref name="match"/> (bounded: a missing mail fails the test).</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_messages.FirstOrDefault(match) is { } mail)
            {
                return mail;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching mail on the SMTP sink; it received {_messages.Count}: {string.Join(" | ", _messages.Select(m => m.Subject))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }

        _stop.Dispose();
    }

    private async Task WaitListeningAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        throw new InvalidOperationException($"The SMTP sink did not listen on 127.0.0.1:{Port}.");
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            foreach (var recipient in transaction.To.Select(Address))
            {
                if (sink._replies.TryGetValue(recipient, out var queue) && queue.TryDequeue(out var reply))
                {
                    return Task.FromResult(reply);
                }
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            sink._messages.Enqueue(new ReceivedMail(
                Address(transaction.From),
                transaction.To.Select(Address).ToList(),
                context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                message.Subject ?? "",
                message.TextBody ?? "",
                message.Headers.ToDictionary(h => h.Field, h => h.Value, StringComparer.OrdinalIgnoreCase)));
            return Task.FromResult(SmtpResponse.Ok);
        }

        private static string Address(SmtpServer.Mail.IMailbox mailbox) => $"{mailbox.User}@{mailbox.Host}";
    }
}
