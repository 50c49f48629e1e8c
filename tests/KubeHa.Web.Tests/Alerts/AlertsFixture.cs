using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Alerts;
using KubeHa.Testing.Alerts;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Tests.Alerts;

/// <summary>
/// The real app (SQLite, embedded agent delivering alerts) with short retry delays, a real HTTP receiver (Kestrel on a
/// free port) and a real SMTP server requiring a password (<see cref="SmtpSink"/>), shared by the alert tests.
/// </summary>
public sealed class AlertsFixture : IAsyncLifetime
{
    public const string SmtpUser = "kubeha-alerts";
    public const string SmtpPassword = "smtp-S3cret-for-the-alert-tests";

    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(300);

    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(1.5);

    public const int MaxAttempts = 4;

    public const string PanelUrl = "https://kubeha.example.test";

    public KubeHaAppFactory App { get; } = new(null, settings: Settings());

    public WebhookReceiver Receiver { get; private set; } = null!;

    public SmtpSink Smtp { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["KubeHa:Alerts:RetryDelay"] = RetryDelay.ToString(),
        ["KubeHa:Alerts:MaxRetryDelay"] = "00:00:02",
        ["KubeHa:Alerts:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["KubeHa:Alerts:PollInterval"] = "00:00:00.100",
        ["KubeHa:Alerts:SendTimeout"] = "00:00:03",
        ["KubeHa:Alerts:PanelUrl"] = PanelUrl,
        ["KubeHa:Agents:HeartbeatInterval"] = "00:00:00.250",
        ["KubeHa:Agents:StaleAfter"] = StaleAfter.ToString(),
        // The health monitor's periodic pass must not re-check clusters these tests set Healthy by hand.
        ["KubeHa:Agent:HealthInterval"] = "01:00:00",
    };

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Smtp = await SmtpSink.StartAsync(SmtpUser, SmtpPassword);
        Admin = await App.AdminClientAsync();
    }

    public async Task DisposeAsync()
    {
        App.Dispose();
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Creates a channel through the API (201 expected) and returns its id.</summary>
    public async Task<int> CreateChannelAsync(object request)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/alert-channels", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>A webhook channel on the receiver's <paramref name="path"/>, JSON format unless told.</summary>
    public Task<int> CreateWebhookAsync(string name, string path, string[] events, string format = "json", object[]? headers = null) =>
        CreateChannelAsync(new { name, kind = "webhook", events, url = Receiver.Url(path), format, headers = headers ?? [] });

    /// <summary>An e-mail channel through the SMTP sink (plain SMTP on loopback, with the sink's user and password).</summary>
    public Task<int> CreateEmailAsync(string name, string to, string[] events, string password = SmtpPassword) =>
        CreateChannelAsync(new
        {
            name, kind = "email", events, smtpHost = "127.0.0.1", smtpPort = Smtp.Port, smtpSecurity = "none",
            smtpUserName = SmtpUser, smtpPassword = password, from = "kubeha@example.test", to = new[] { to },
        });

    /// <summary>The deliveries of one channel, newest first, read through the store.</summary>
    public Task<IReadOnlyList<AlertDeliveryView>> DeliveriesAsync(int channelId) =>
        App.Service<AlertDeliveryReader>().ListAsync(channelId, null, 100, default);

    /// <summary>Waits until the channel has a delivery in a final state matching <paramref name="match"/> (bounded).</summary>
    public async Task<AlertDeliveryView> WaitForDeliveryAsync(int channelId, Func<AlertDeliveryView, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        IReadOnlyList<AlertDeliveryView> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = await DeliveriesAsync(channelId);
            if (seen.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching delivery on channel {channelId}: {string.Join(" | ", seen.Select(d => $"{d.Event} {d.Status} x{d.Attempts} {d.Error}"))}");
    }

    /// <summary>Puts a cluster in <paramref name="status"/> directly (the tests drive the recorder themselves).</summary>
    public async Task SetClusterStatusAsync(int clusterId, Core.Clusters.ClusterStatus status)
    {
        await using var db = await App.Service<IDbContextFactory<Core.Persistence.KubeHaDbContext>>().CreateDbContextAsync();
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status));
    }
}
