using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Alerts;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Runs;
using KubeHa.Web.Tests.Hubs;
using SmtpServer.Protocol;

namespace KubeHa.Web.Tests.Alerts;

/// <summary>
/// Alerts from the events that raise them to a real HTTP receiver and a real SMTP server, through the app's durable
/// outbox and its embedded agent's delivery loop: payloads, retries with back-off, refusals, deduplication.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AlertsCollection.Name)]
public sealed class AlertDeliveryTests(AlertsFixture fixture)
{
    [Fact]
    public async Task RunFailed_WebhookAndEmailSubscribed_BothReceiveTheRunAndItsError()
    {
        var hook = await fixture.CreateWebhookAsync("run-hook", "/run-failed", ["run-failed"]);
        var mail = await fixture.CreateEmailAsync("run-mail", "oncall@example.test", ["run-failed", "run-succeeded"]);
        var (clusterId, runId) = await FailRunAsync("kubeadm init failed: [ERROR Port-6443]: Port 6443 is in use");

        var request = Assert.Single(await fixture.Receiver.WaitForAsync(r => r.Path == "/run-failed"));
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("run-failed", payload.GetProperty("event").GetString());
        Assert.Equal("warning", payload.GetProperty("severity").GetString());
        Assert.Equal(runId, payload.GetProperty("run").GetProperty("id").GetInt64());
        Assert.Equal("failed", payload.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal("Connect to hosts", payload.GetProperty("run").GetProperty("failedStep").GetString());
        Assert.Contains("Port 6443 is in use", payload.GetProperty("run").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(clusterId, payload.GetProperty("cluster").GetProperty("id").GetInt32());
        Assert.Equal($"{AlertsFixture.PanelUrl}/runs/{runId}", payload.GetProperty("url").GetString());
        Assert.False(payload.TryGetProperty("agent", out _)); // absent parts are left out, not null
        Assert.Equal("run-failed", request.Headers["X-KubeHa-Event"]);
        Assert.Equal(payload.GetProperty("id").GetString(), request.Headers["X-KubeHa-Event-Id"]);

        var email = await fixture.Smtp.WaitForAsync(m => m.Subject.Contains($"Run #{runId} ", StringComparison.Ordinal));
        Assert.Equal(AlertsFixture.SmtpUser, email.AuthenticatedUser);
        Assert.Equal(["oncall@example.test"], email.EnvelopeTo);
        Assert.Contains("failed at \"Connect to hosts\"", email.Subject, StringComparison.Ordinal);
        Assert.Contains("Port 6443 is in use", email.Text, StringComparison.Ordinal);
        Assert.Contains($"{AlertsFixture.PanelUrl}/runs/{runId}", email.Text, StringComparison.Ordinal);

        var webhookDelivery = await fixture.WaitForDeliveryAsync(hook, d => d.Status == AlertDeliveryStatus.Delivered);
        Assert.Equal((1, "HTTP 200 OK"), (webhookDelivery.Attempts, webhookDelivery.Result));
        var mailDelivery = await fixture.WaitForDeliveryAsync(mail, d => d.Status == AlertDeliveryStatus.Delivered);
        Assert.StartsWith($"accepted by 127.0.0.1:{fixture.Smtp.Port}", mailDelivery.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingReceiver_RetriedWithBackoff_DeliveredOnTheThirdAttempt()
    {
        var hook = await fixture.CreateWebhookAsync("flaky-hook", "/flaky", ["cluster-degraded"]);
        fixture.Receiver.AnswerNext("/flaky", 503, times: 2);
        var clusterId = await DegradeAsync(["node2 NotReady", "lb1: node2 DOWN"]);

        var requests = await fixture.Receiver.WaitForAsync(r => r.Path == "/flaky" && r.Body.Contains($"\"id\":{clusterId},", StringComparison.Ordinal), count: 3);
        Assert.Equal([503, 503, 200], requests.Select(r => r.AnsweredWith));
        // Back-off: at least the retry delay before the second attempt, at least twice it before the third.
        Assert.True(requests[1].At - requests[0].At >= AlertsFixture.RetryDelay * 0.9, $"second attempt after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
        Assert.True(requests[2].At - requests[1].At >= AlertsFixture.RetryDelay * 2 * 0.9, $"third attempt after {(requests[2].At - requests[1].At).TotalMilliseconds} ms");
        Assert.Single(requests.Select(r => r.Headers["X-KubeHa-Event-Id"]).Distinct()); // the same event every time

        var delivery = await fixture.WaitForDeliveryAsync(hook, d => d.Status == AlertDeliveryStatus.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(AlertEventKind.ClusterDegraded, delivery.Event);
        var payload = JsonDocument.Parse(requests[2].Body).RootElement;
        Assert.Equal(["node2 NotReady", "lb1: node2 DOWN"], payload.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task TooManyRequests_RetryAfterHonoured()
    {
        var hook = await fixture.CreateWebhookAsync("busy-hook", "/busy", ["cluster-recovered"]);
        fixture.Receiver.AnswerNext("/busy", 429, retryAfter: "1");
        var clusterId = await DegradeAsync(["etcd member node3 unhealthy"]);
        await fixture.App.Service<ClusterHealthRecorder>().RecordAsync(clusterId, [], DateTimeOffset.UtcNow, default);

        var requests = await fixture.Receiver.WaitForAsync(r => r.Path == "/busy" && r.Body.Contains($"\"id\":{clusterId},", StringComparison.Ordinal), count: 2);
        Assert.Equal([429, 200], requests.Select(r => r.AnsweredWith));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms despite Retry-After: 1");
        Assert.Equal("cluster-recovered", JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("event").GetString());
        Assert.Equal(2, (await fixture.WaitForDeliveryAsync(hook, d => d.Status == AlertDeliveryStatus.Delivered)).Attempts);
    }

    [Fact]
    public async Task ReceiverRefuses_NotRetried_RecordedAsFailedWithTheAnswer()
    {
        var hook = await fixture.CreateWebhookAsync("gone-hook", "/gone", ["backup-failed"]);
        fixture.Receiver.AnswerNext("/gone", 404);
        var (clusterId, _) = await HubTestData.CreateClusterWithRunAsync(fixture.App);

        await fixture.App.Service<AlertRaiser>().RaiseAsync(
            AlertEvent.BackupFailed(new AlertCluster(clusterId, "c"), new AlertBackup(null, null, null, "etcdctl snapshot save: context deadline exceeded"), DateTimeOffset.UtcNow), default);

        var delivery = await fixture.WaitForDeliveryAsync(hook, d => d.Status == AlertDeliveryStatus.Failed);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal("HTTP 404 Not Found", delivery.Result);
        Assert.Contains("not retried", delivery.Error, StringComparison.Ordinal);
        await Task.Delay(AlertsFixture.RetryDelay * 3);
        Assert.Single(fixture.Receiver.Requests, r => r.Path == "/gone");
    }

    [Fact]
    public async Task ReceiverUnreachable_GivesUpAfterMaxAttempts()
    {
        var closedPort = KubeHa.Testing.Processes.AppProcess.FreePort();
        var hook = await fixture.CreateChannelAsync(new { name = "nobody-home", kind = "webhook", events = new[] { "backup-not-proven" }, url = $"http://127.0.0.1:{closedPort}/hook" });
        var (clusterId, _) = await HubTestData.CreateClusterWithRunAsync(fixture.App);

        await fixture.App.Service<AlertRaiser>().RaiseAsync(
            AlertEvent.BackupNotProven(new AlertCluster(clusterId, "c"), new AlertBackup(7, DateTimeOffset.UtcNow, null, "restore test: 0 keys"), DateTimeOffset.UtcNow), default);

        var delivery = await fixture.WaitForDeliveryAsync(hook, d => d.Status == AlertDeliveryStatus.Failed);
        Assert.Equal(AlertsFixture.MaxAttempts, delivery.Attempts);
        Assert.Contains("connection failed", delivery.Error, StringComparison.Ordinal);
        Assert.Contains($"gave up after {AlertsFixture.MaxAttempts} attempts", delivery.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmtpDefers_RetriedThenAccepted()
    {
        var mail = await fixture.CreateEmailAsync("deferred-mail", "deferred@example.test", ["agent-offline"]);
        fixture.Smtp.ReplyNext("deferred@example.test", new SmtpResponse(SmtpReplyCode.ServiceUnavailable, "4.3.2 try again later"));
        var agent = $"agent-{Guid.NewGuid():N}"[..16];
        await fixture.App.Service<Core.Agents.AgentRegistry>().HeartbeatAsync(agent, "1.0", "box-7", ["default"], DateTimeOffset.UtcNow, default);

        var email = await fixture.Smtp.WaitForAsync(m => m.Subject.Contains(agent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("is offline", email.Subject, StringComparison.Ordinal);
        var delivery = await fixture.WaitForDeliveryAsync(mail, d => d.Status == AlertDeliveryStatus.Delivered && d.Summary.Contains(agent, StringComparison.Ordinal));
        Assert.Equal(2, delivery.Attempts);
    }

    [Fact]
    public async Task AgentSilent_OfflineOnce_ThenBackOnline()
    {
        var hook = await fixture.CreateWebhookAsync("agents-hook", "/agents", ["agent-offline", "agent-online"]);
        var agent = $"agent-{Guid.NewGuid():N}"[..16];
        var registry = fixture.App.Service<Core.Agents.AgentRegistry>();
        await registry.HeartbeatAsync(agent, "1.0", "box-8", ["default", "dmz"], DateTimeOffset.UtcNow, default);

        var offline = await fixture.Receiver.WaitForAsync(r => r.Path == "/agents" && r.Body.Contains(agent, StringComparison.Ordinal));
        var payload = JsonDocument.Parse(offline[0].Body).RootElement;
        Assert.Equal("agent-offline", payload.GetProperty("event").GetString());
        Assert.Equal(["default", "dmz"], payload.GetProperty("agent").GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        await Task.Delay(AlertsFixture.StaleAfter * 2); // still silent: reported once, not at every watch

        await registry.HeartbeatAsync(agent, "1.0", "box-8", ["default", "dmz"], DateTimeOffset.UtcNow, default);

        var both = await fixture.Receiver.WaitForAsync(r => r.Path == "/agents" && r.Body.Contains(agent, StringComparison.Ordinal), count: 2);
        Assert.Equal(["agent-offline", "agent-online"], both.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event").GetString()));
        await registry.MarkStoppedAsync(agent, default); // a clean stop is no alert
        await Task.Delay(AlertsFixture.StaleAfter * 2);
        Assert.Equal(2, fixture.Receiver.Requests.Count(r => r.Path == "/agents" && r.Body.Contains(agent, StringComparison.Ordinal)));
        Assert.Equal(2, (await fixture.DeliveriesAsync(hook)).Count(d => d.Summary.Contains(agent, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CertificateThreshold_RaisedOnEveryCheck_SentOncePerChannel()
    {
        var hook = await fixture.CreateWebhookAsync("certs-hook", "/certs", ["certificate-expiring", "certificate-critical"], format: "slack");
        var (clusterId, _) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var raiser = fixture.App.Service<AlertRaiser>();
        var expires = DateTimeOffset.UtcNow.AddDays(20);
        var certificate = new AlertCertificate("node1", "apiserver", expires, 20, 30, "ca");

        var first = await raiser.RaiseAsync(AlertEvent.CertificateThreshold(new AlertCluster(clusterId, "prod<1>"), certificate, critical: false, DateTimeOffset.UtcNow), default);
        var second = await raiser.RaiseAsync(AlertEvent.CertificateThreshold(new AlertCluster(clusterId, "prod<1>"), certificate with { ResidualDays = 19 }, critical: false, DateTimeOffset.UtcNow), default);
        var critical = await raiser.RaiseAsync(AlertEvent.CertificateThreshold(new AlertCluster(clusterId, "prod<1>"), certificate with { ResidualDays = 6 }, critical: true, DateTimeOffset.UtcNow), default);

        Assert.Equal((1, 0, 1), (first, second, critical));
        var requests = await fixture.Receiver.WaitForAsync(r => r.Path == "/certs", count: 2);
        var slack = JsonDocument.Parse(requests.First(r => r.Body.Contains(":warning:", StringComparison.Ordinal)).Body).RootElement;
        var text = slack.GetProperty("text").GetString();
        Assert.Contains("Certificate apiserver on node1 (cluster prod&lt;1&gt;) expires in 20 day(s)", text, StringComparison.Ordinal);
        Assert.Contains(slack.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetString() == "section"
            && b.GetProperty("text").GetProperty("text").GetString()!.Contains($"<{AlertsFixture.PanelUrl}/clusters/{clusterId}|Open in KubeHa>", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Body.Contains(":rotating_light:", StringComparison.Ordinal));
        Assert.Equal(2, (await fixture.DeliveriesAsync(hook)).Count);
    }

    [Fact]
    public async Task Disable_PendingDeliveries_CancelledNotSent()
    {
        var hook = await fixture.CreateWebhookAsync("paused-hook", "/paused", ["run-succeeded"]);
        // The receiver refuses every attempt but the last one the dispatcher may make, so the delivery stays pending
        // (retries due after the 2 s cap, Retry-After asks for more) however slowly this machine observes it.
        fixture.Receiver.AnswerNext("/paused", 503, times: AlertsFixture.MaxAttempts - 1, retryAfter: "60");
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var ledger = fixture.App.Service<RunLedger>();
        Assert.True(await ledger.TryClaimAsync(runId, "test-agent", 1, default));
        await ledger.FinishRunAsync(runId, new RunOwner("test-agent", 1), RunStatus.Succeeded, null, ClusterStatus.Healthy, default);
        await fixture.WaitForDeliveryAsync(hook, d => d.Attempts >= 1 && d.Status == AlertDeliveryStatus.Pending && d.Error != null);

        using var response = await fixture.Admin.PutAsJsonAsync($"/api/v1/alert-channels/{hook}", new { name = "paused-hook", kind = "webhook", enabled = false, events = new[] { "run-succeeded" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var cancelled = await fixture.WaitForDeliveryAsync(hook, d => d.Status == AlertDeliveryStatus.Cancelled);
        Assert.Equal("Not sent: the channel was disabled.", cancelled.Error);
        var attemptsBeforeDisabling = fixture.Receiver.Requests.Count(r => r.Path == "/paused");
        Assert.Equal(cancelled.Attempts, attemptsBeforeDisabling);
        await Task.Delay(TimeSpan.FromSeconds(4)); // twice the fixture's MaxRetryDelay: a retry still scheduled would have been sent
        Assert.Equal(attemptsBeforeDisabling, fixture.Receiver.Requests.Count(r => r.Path == "/paused"));
    }

    private async Task<(int ClusterId, long RunId)> FailRunAsync(string error)
    {
        var (clusterId, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var ledger = fixture.App.Service<RunLedger>();
        Assert.True(await ledger.TryClaimAsync(runId, "test-agent", 1, default));
        await ledger.SetStepStatusAsync(runId, 0, "connect-hosts", StepStatus.Failed, default);
        await ledger.FinishRunAsync(runId, new RunOwner("test-agent", 1), RunStatus.Failed, error, ClusterStatus.Failed, default);
        return (clusterId, runId);
    }

    /// <summary>A Healthy cluster that the health recorder then finds degraded with <paramref name="reasons"/>.</summary>
    private async Task<int> DegradeAsync(IReadOnlyList<string> reasons)
    {
        var (clusterId, _) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await fixture.SetClusterStatusAsync(clusterId, ClusterStatus.Healthy);
        var outcome = await fixture.App.Service<ClusterHealthRecorder>().RecordAsync(clusterId, reasons, DateTimeOffset.UtcNow, default);
        Assert.True(outcome.TurnedDegraded);
        return clusterId;
    }
}
