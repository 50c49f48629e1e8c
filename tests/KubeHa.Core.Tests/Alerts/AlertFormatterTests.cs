using System.Text.Json;
using KubeHa.Core.Alerts;
using KubeHa.Core.Runs;

namespace KubeHa.Core.Tests.Alerts;

public class AlertFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);

    private static AlertEvent FailedRun() => AlertEvent.RunFinished(
        new AlertCluster(3, "prod"), new AlertRun(42, "create", RunStatus.Failed, 2, "join failed: <x> & y", "Join control planes", "ops"), At);

    [Fact]
    public void Json_FailedRun_KebabEnumsNoNullsAndTheLink()
    {
        var alert = FailedRun();

        var json = JsonDocument.Parse(AlertFormatter.Json(alert, AlertFormatter.Link(alert, "https://kubeha.example.com/"))).RootElement;

        Assert.Equal("run-failed", json.GetProperty("event").GetString());
        Assert.Equal("warning", json.GetProperty("severity").GetString());
        Assert.Equal("Run #42 (create) of cluster prod failed at \"Join control planes\"", json.GetProperty("summary").GetString());
        Assert.Equal("failed", json.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal("https://kubeha.example.com/runs/42", json.GetProperty("url").GetString());
        Assert.False(json.TryGetProperty("agent", out _));
        Assert.False(json.TryGetProperty("deduplicationKey", out _));
        Assert.Equal(alert.Id, json.GetProperty("id").GetGuid());
    }

    [Fact]
    public void Link_NoPanelUrl_Null() => Assert.Null(AlertFormatter.Link(FailedRun(), null));

    [Fact]
    public void Slack_TextWithMarkup_EscapedAndStructured()
    {
        var slack = JsonDocument.Parse(AlertFormatter.Slack(FailedRun(), "https://k.example/runs/42")).RootElement;

        var blocks = slack.GetProperty("blocks").EnumerateArray().ToList();
        Assert.StartsWith(":warning: Run #42", slack.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Contains("<https://k.example/runs/42|Open in KubeHa>", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("*Error:* join failed: &lt;x&gt; &amp; y", blocks[1].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Email_DegradedCluster_OneLineSubjectAndReasonsInTheBody()
    {
        var alert = AlertEvent.ClusterDegraded(new AlertCluster(1, "prod"), ["node2 NotReady", "lb1: node2 DOWN"], At);

        var (subject, body) = AlertFormatter.Email(alert, null);

        Assert.Equal("[KubeHa] Cluster prod is degraded: node2 NotReady (+1 more)", subject);
        Assert.Contains("When:    2026-12-04 10:30:00 UTC", body, StringComparison.Ordinal);
        Assert.Contains("  - lb1: node2 DOWN\n", body, StringComparison.Ordinal);
        Assert.Contains($"Event id {alert.Id:D}", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, null, 1000)]
    [InlineData(2, null, 2000)]
    [InlineData(4, null, 8000)]
    [InlineData(9, null, 60000)]
    [InlineData(1, 5000, 5000)]
    [InlineData(1, 3600000, 60000)]
    public void BackoffAfter_Attempt_DoublesUpToTheCapAndHonoursRetryAfterWithinIt(int attempt, int? retryAfterMs, int expectedMs)
    {
        var options = new AlertsOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromMinutes(1) };

        var delay = options.BackoffAfter(attempt, retryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Fact]
    public void CertificateThreshold_SameCertificateAndLevel_SameDeduplicationKey()
    {
        var cluster = new AlertCluster(1, "prod");
        var certificate = new AlertCertificate("node1", "apiserver", At.AddDays(20), 20, 30, "ca");

        var first = AlertEvent.CertificateThreshold(cluster, certificate, critical: false, At);
        var nextDay = AlertEvent.CertificateThreshold(cluster, certificate with { ResidualDays = 19 }, critical: false, At.AddDays(1));
        var critical = AlertEvent.CertificateThreshold(cluster, certificate, critical: true, At);
        var renewed = AlertEvent.CertificateThreshold(cluster, certificate with { ExpiresAt = At.AddDays(365) }, critical: false, At);

        Assert.Equal(first.DeduplicationKey, nextDay.DeduplicationKey);
        Assert.NotEqual(first.DeduplicationKey, critical.DeduplicationKey);
        Assert.NotEqual(first.DeduplicationKey, renewed.DeduplicationKey);
        Assert.Equal((AlertEventKind.CertificateCritical, AlertSeverity.Critical), (critical.Event, critical.Severity));
    }
}
