using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Alerts;
using KubeHa.Core.Audit;
using KubeHa.Web.Tests.Infrastructure;
using KubeHa.Web.Tests.Support;

namespace KubeHa.Web.Tests.Alerts;

/// <summary>
/// /api/v1/alert-channels through the real app: secrets stay write-only (never in a response, the database, the audit
/// log or the log), field errors, the test button's endpoint, and a restart losing no pending delivery.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AlertsCollection.Name)]
public sealed class AlertChannelsApiTests(AlertsFixture fixture)
{
    private const string UrlToken = "XyZ-webhook-token-0b5c4e3d2a19";
    private const string HeaderSecret = "Bearer header-S3cret-9f8e7d6c5b4a";

    [Fact]
    public async Task Create_WebhookAndEmailWithSecrets_SecretsNeverInResponsesDatabaseAuditOrLog()
    {
        var hook = await fixture.CreateWebhookAsync("secret-hook", $"/services/T000/B000/{UrlToken}", ["run-failed"], headers: [new { name = "Authorization", value = HeaderSecret }]);
        var mail = await fixture.CreateEmailAsync("secret-mail", "secrets@example.test", ["run-failed"]);
        using (var test = await fixture.Admin.PostAsync($"/api/v1/alert-channels/{hook}/test", null))
        {
            Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        }

        var request = (await fixture.Receiver.WaitForAsync(r => r.Path.EndsWith(UrlToken, StringComparison.Ordinal)))[0];
        Assert.Equal(HeaderSecret, request.Headers["Authorization"]); // the receiver got the secrets it needs

        var listed = await fixture.Admin.GetStringAsync("/api/v1/alert-channels");
        var one = await fixture.Admin.GetStringAsync($"/api/v1/alert-channels/{hook}");
        var deliveries = await fixture.Admin.GetStringAsync("/api/v1/alert-channels/deliveries");
        var page = await (await fixture.Admin.GetAsync("/admin/alerts")).Content.ReadAsStringAsync();
        var channel = JsonDocument.Parse(one).RootElement;
        Assert.Equal($"http://127.0.0.1:{fixture.Receiver.BaseUrl.Port}/…", channel.GetProperty("target").GetString());
        Assert.Equal(["Authorization"], channel.GetProperty("webhook").GetProperty("headerNames").EnumerateArray().Select(h => h.GetString()));
        Assert.True(JsonDocument.Parse(await fixture.Admin.GetStringAsync($"/api/v1/alert-channels/{mail}")).RootElement.GetProperty("hasPassword").GetBoolean());
        Assert.Contains("secret-hook", page, StringComparison.Ordinal);

        var database = SecretScan.ReadDatabase(fixture.App.DataDirectory);
        Assert.Contains("secret-hook", database, StringComparison.Ordinal); // the rows are in these files
        var audit = string.Join("\n", (await fixture.App.Service<AuditLog>().QueryAsync(new AuditQuery(Action: "alert-channel"), default)).Select(e => $"{e.Target} {e.Detail}"));
        Assert.Contains("alert channel 'secret-hook'", audit, StringComparison.Ordinal);
        var log = string.Join("\n", fixture.App.LogMessages);
        foreach (var secret in new[] { UrlToken, HeaderSecret, AlertsFixture.SmtpPassword })
        {
            Assert.False(SecretScan.Contains(database, secret), $"a channel secret is in the SQLite files in clear: {secret}");
            Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, one, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, deliveries, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Update_SecretsLeftOut_KeepsTheStoredOnes()
    {
        var hook = await fixture.CreateWebhookAsync("kept-hook", "/kept/token-123", ["run-failed"], headers: [new { name = "X-Api-Key", value = "key-kept-1" }]);

        using var put = await fixture.Admin.PutAsJsonAsync($"/api/v1/alert-channels/{hook}", new
        {
            name = "kept-hook-renamed", kind = "webhook", events = new[] { "run-failed", "cluster-degraded" }, format = "slack",
            headers = new[] { new { name = "X-Api-Key", value = (string?)null } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var test = await fixture.Admin.PostAsync($"/api/v1/alert-channels/{hook}/test", null);
        var delivery = JsonDocument.Parse(await test.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        var request = (await fixture.Receiver.WaitForAsync(r => r.Path == "/kept/token-123"))[0];
        Assert.Equal("key-kept-1", request.Headers["X-Api-Key"]);
        Assert.Contains("\"blocks\"", request.Body, StringComparison.Ordinal); // now Slack-formatted
        Assert.Contains("Test message for alert channel kept-hook-renamed", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidFields_400WithAMessagePerField()
    {
        using var webhook = await fixture.Admin.PostAsJsonAsync("/api/v1/alert-channels", new
        {
            name = "", kind = "webhook", events = Array.Empty<string>(), url = "ftp://example.test/x",
            headers = new[] { new { name = "Content-Type", value = "text/plain" } },
        });
        using var email = await fixture.Admin.PostAsJsonAsync("/api/v1/alert-channels", new
        {
            name = "remote-plain", kind = "email", events = new[] { "run-failed" }, smtpHost = "smtp.example.test", smtpPort = 25,
            smtpSecurity = "none", smtpUserName = "u", smtpPassword = "p", from = "not an address", to = new[] { "ops@example.test", "bad@" },
        });
        using var unknownEvent = await fixture.Admin.PostAsync("/api/v1/alert-channels", JsonContent.Create(new { name = "x", kind = "webhook", events = new[] { "run-exploded" }, url = "https://example.test/" }));

        Assert.Equal(HttpStatusCode.BadRequest, webhook.StatusCode);
        var errors = JsonDocument.Parse(await webhook.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal("Give the alert channel a name.", errors.GetProperty("name")[0].GetString());
        Assert.Equal("Choose at least one event to send.", errors.GetProperty("events")[0].GetString());
        Assert.StartsWith("Enter an absolute http:// or https:// URL", errors.GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("KubeHa sets Content-Type itself; choose another header.", errors.GetProperty("headers")[0].GetString());

        Assert.Equal(HttpStatusCode.BadRequest, email.StatusCode);
        errors = JsonDocument.Parse(await email.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.StartsWith("A password is never sent unencrypted to another machine", errors.GetProperty("smtpSecurity")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("'not an address' is not an e-mail address.", errors.GetProperty("from")[0].GetString());
        Assert.Equal("'bad@' is not an e-mail address.", errors.GetProperty("to")[0].GetString());

        Assert.Equal(HttpStatusCode.BadRequest, unknownEvent.StatusCode);
        Assert.DoesNotContain(await fixture.App.Service<AlertChannelStore>().ListAsync(default), c => c.Name is "remote-plain" or "x");
    }

    [Fact]
    public async Task Test_WrongSmtpPassword_FailedWithTheServersRefusalAndAudited()
    {
        var mail = await fixture.CreateEmailAsync("wrong-password", "nobody@example.test", ["run-failed"], password: "not-the-password");

        using var response = await fixture.Admin.PostAsync($"/api/v1/alert-channels/{mail}/test", null);
        var delivery = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Contains("refused the user name or password", delivery.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", delivery.GetRawText(), StringComparison.Ordinal);
        var audited = (await fixture.App.Service<AuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.AlertChannelTested), default))
            .First(e => e.Target!.Contains("wrong-password", StringComparison.Ordinal));
        Assert.False(audited.Succeeded);
        Assert.Equal("admin", audited.Actor);
    }

    [Fact]
    public async Task Delete_Channel_GoneWithItsDeliveriesAndAudited()
    {
        var hook = await fixture.CreateWebhookAsync("short-lived", "/short-lived", ["run-failed"]);
        using (await fixture.Admin.PostAsync($"/api/v1/alert-channels/{hook}/test", null))
        {
        }

        using var deleted = await fixture.Admin.DeleteAsync($"/api/v1/alert-channels/{hook}");
        using var again = await fixture.Admin.DeleteAsync($"/api/v1/alert-channels/{hook}");
        using var deliveries = await fixture.Admin.GetAsync($"/api/v1/alert-channels/{hook}/deliveries");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deliveries.StatusCode);
        Assert.Empty(await fixture.DeliveriesAsync(hook));
        Assert.Contains(await fixture.App.Service<AuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.AlertChannelDeleted), default),
            e => e.Target == $"alert channel 'short-lived' (#{hook})");
    }

    [Fact]
    public async Task Restart_PendingDelivery_SentByTheNextProcess()
    {
        using var data = new TempDirectory();
        var noAgent = new Dictionary<string, string?>(AlertsFixture.Settings()) { ["KubeHa:Agent:Embedded"] = "false" };
        int hook;
        using (var first = new KubeHaAppFactory(data.Path, settings: noAgent))
        {
            _ = first.Server;
            var created = await first.Service<AlertChannelStore>().CreateAsync(
                new AlertChannelInput { Name = "durable", Kind = AlertChannelKind.Webhook, Url = fixture.Receiver.Url("/durable"), Events = [AlertEventKind.BackupFailed] }, default);
            hook = created.Value;
            Assert.Equal(1, await first.Service<AlertRaiser>().RaiseAsync(
                AlertEvent.BackupFailed(new AlertCluster(1, "prod"), new AlertBackup(null, null, null, "disk full"), DateTimeOffset.UtcNow), default));
            var pending = Assert.Single(await first.Service<AlertDeliveryReader>().ListAsync(hook, null, 10, default));
            Assert.Equal((AlertDeliveryStatus.Pending, 0), (pending.Status, pending.Attempts)); // no agent in this process
        }

        using var second = new KubeHaAppFactory(data.Path, settings: AlertsFixture.Settings());
        _ = second.Server;

        var request = Assert.Single(await fixture.Receiver.WaitForAsync(r => r.Path == "/durable"));
        Assert.Contains("disk full", request.Body, StringComparison.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        AlertDeliveryView delivery;
        do
        {
            delivery = Assert.Single(await second.Service<AlertDeliveryReader>().ListAsync(hook, null, 10, default));
        }
        while (delivery.Status != AlertDeliveryStatus.Delivered && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal((AlertDeliveryStatus.Delivered, 1), (delivery.Status, delivery.Attempts));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
