using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Persistence;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Api;

/// <summary>
/// GET /api/v1/clusters/{id}/nodes, /load-balancers and /etcd through the real app and the real health feed: a cluster
/// that was never provisioned answers with why each part is unknown (no kubeconfig, hosts never checked), not a 5xx.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterHealthApiTests : IDisposable
{
    private readonly KubeHaAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task HealthEndpoints_UnprovisionedCluster_ExplainWhatIsUnknown()
    {
        var admin = await _app.AdminClientAsync();
        var id = await CreateClusterAsync(admin);

        using var nodes = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/clusters/{id}/nodes"));
        using var balancers = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/clusters/{id}/load-balancers"));
        using var etcd = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/clusters/{id}/etcd"));

        Assert.Equal(0, nodes.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Contains("No admin kubeconfig", nodes.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        var lb = Assert.Single(balancers.RootElement.GetProperty("loadBalancers").EnumerateArray());
        Assert.Equal("lb1", lb.GetProperty("host").GetString());
        Assert.Contains("never verified", lb.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, balancers.RootElement.GetProperty("virtualIp").ValueKind);
        Assert.Contains("never verified", etcd.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListClusters_MonitorStoredDegraded_SummaryHasStatusReasonsAndCheckTime()
    {
        var admin = await _app.AdminClientAsync();
        var id = await CreateClusterAsync(admin);
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Clusters.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Healthy));
        }

        var checkedAt = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var outcome = await _app.Services.GetRequiredService<ClusterHealthRecorder>().RecordAsync(id, ["cp1 NotReady", "lb1: cp1 DOWN"], checkedAt, default);
        Assert.True(outcome.TurnedDegraded);

        using var list = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/clusters"));

        var summary = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal("degraded", summary.GetProperty("status").GetString());
        Assert.Equal(["cp1 NotReady", "lb1: cp1 DOWN"], summary.GetProperty("healthReasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(checkedAt, summary.GetProperty("healthCheckedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task HealthEndpoints_UnknownCluster_NotFound()
    {
        var admin = await _app.AdminClientAsync();

        foreach (var part in new[] { "nodes", "load-balancers", "etcd" })
        {
            using var response = await admin.GetAsync($"/api/v1/clusters/424242/{part}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private static async Task<int> CreateClusterAsync(HttpClient admin)
    {
        var credential = await (await admin.PostAsJsonAsync("/api/v1/credentials", new { name = "pw", kind = "password", password = "a-password-for-health" })).Content.ReadFromJsonAsync<JsonElement>();
        var hostIds = new List<int>();
        foreach (var (name, address) in new[] { ("cp1", "10.0.0.1"), ("lb1", "10.0.0.2") })
        {
            var host = await admin.PostAsJsonAsync("/api/v1/hosts", new { name, address, username = "root", credentialId = credential.GetProperty("id").GetInt32() });
            host.EnsureSuccessStatusCode();
            hostIds.Add((await host.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        var cluster = await admin.PostAsJsonAsync("/api/v1/clusters", new
        {
            name = "prod",
            spec = new { loadBalancerMode = "dedicated-haproxy" },
            hosts = new object[]
            {
                new { hostId = hostIds[0], roles = new[] { "control-plane" } },
                new { hostId = hostIds[1], roles = new[] { "load-balancer" } },
            },
        });
        Assert.True(cluster.IsSuccessStatusCode, await cluster.Content.ReadAsStringAsync());
        return (await cluster.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
    }
}
