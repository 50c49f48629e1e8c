using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Audit;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using KubeHa.Core.Security;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Tests.Access;

/// <summary>
/// Issue 7's audit trail for clusters and runs through the REST API, by an operator's token: creating and deleting a
/// cluster, starting, cancelling and resuming a run, downloading the kubeconfig; each records the actor and the token.
/// The embedded worker is off, so runs stay in the ledger and no job touches a host.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterAuditTests : IDisposable
{
    private readonly KubeHaAppFactory _app = new(null, settings: new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ClusterAndRunActions_ThroughApi_EachAuditedWithActor()
    {
        await TestUsers.CreateAsync(_app, "otto", KubeHaRoles.Operator);
        using var otto = TestUsers.BearerClient(_app, await TestUsers.TokenAsync(_app, "otto", "otto-audit"));
        var hosts = await CreateHostsAsync(otto);

        var clusterId = await CreateClusterAsync(otto, "audited", hosts[0], hosts[1]);
        var spareId = await CreateClusterAsync(otto, "spare", hosts[2], hosts[3]);

        var started = await otto.PostAsJsonAsync($"/api/v1/clusters/{clusterId}/runs", new { plan = "create" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Accepted, (await otto.PostAsync($"/api/v1/runs/{runId}/cancel", null)).StatusCode);
        await MarkCancelledAsync(runId); // what the worker records once it has stopped the run
        Assert.Equal(HttpStatusCode.Accepted, (await otto.PostAsync($"/api/v1/runs/{runId}/resume", null)).StatusCode);

        await StoreKubeconfigAsync(clusterId);
        var kubeconfig = await otto.GetAsync($"/api/v1/clusters/{clusterId}/kubeconfig");
        Assert.Equal(HttpStatusCode.OK, kubeconfig.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await otto.DeleteAsync($"/api/v1/clusters/{spareId}")).StatusCode);

        var entries = await _app.Service<AuditLog>().QueryAsync(new AuditQuery(Actor: "otto"), default);
        foreach (var (action, target) in new[]
                 {
                     (AuditActions.ClusterCreated, "cluster 'audited'"),
                     (AuditActions.RunStarted, $"run #{runId} of cluster 'audited'"),
                     (AuditActions.RunCancelled, $"run #{runId}"),
                     (AuditActions.RunResumed, $"run #{runId}"),
                     (AuditActions.KubeconfigDownloaded, "cluster 'audited'"),
                     (AuditActions.ClusterDeleted, "cluster 'spare'"),
                 })
        {
            var entry = Assert.Single(entries, e => e.Action == action && e.Target!.Contains(target, StringComparison.Ordinal));
            Assert.Equal("otto", entry.Actor);
            Assert.Equal("token 'otto-audit'", entry.Via);
            Assert.True(entry.Succeeded, action);
        }

        Assert.All(entries, e => Assert.DoesNotContain("BEGIN", $"{e.Target} {e.Detail}", StringComparison.Ordinal)); // no kubeconfig content
    }

    private static async Task<List<int>> CreateHostsAsync(HttpClient client)
    {
        var credential = await (await client.PostAsJsonAsync("/api/v1/credentials", new { name = "pw", kind = "password", password = "a-password-for-audit" })).Content.ReadFromJsonAsync<JsonElement>();
        var ids = new List<int>();
        for (var i = 1; i <= 4; i++)
        {
            var host = await client.PostAsJsonAsync("/api/v1/hosts", new { name = $"n{i}", address = $"10.0.0.{i}", username = "root", credentialId = credential.GetProperty("id").GetInt32() });
            Assert.Equal(HttpStatusCode.Created, host.StatusCode);
            ids.Add((await host.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        return ids;
    }

    private static async Task<int> CreateClusterAsync(HttpClient client, string name, int controlPlane, int loadBalancer)
    {
        var cluster = await client.PostAsJsonAsync("/api/v1/clusters", new
        {
            name,
            spec = new { loadBalancerMode = "dedicated-haproxy" },
            hosts = new object[]
            {
                new { hostId = controlPlane, roles = new[] { "control-plane" } },
                new { hostId = loadBalancer, roles = new[] { "load-balancer" } },
            },
        });
        Assert.True(cluster.IsSuccessStatusCode, await cluster.Content.ReadAsStringAsync());
        return (await cluster.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
    }

    private async Task MarkCancelledAsync(long runId)
    {
        await using var db = await _app.Service<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));
    }

    private async Task StoreKubeconfigAsync(int clusterId)
    {
        var protectedKubeconfig = _app.Service<ISecretProtector>().Protect("apiVersion: v1\nkind: Config\n");
        await using var db = await _app.Service<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedKubeconfig, protectedKubeconfig));
    }
}
