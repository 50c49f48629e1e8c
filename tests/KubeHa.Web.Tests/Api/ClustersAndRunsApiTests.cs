using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Web.Tests.Infrastructure;

namespace KubeHa.Web.Tests.Api;

/// <summary>
/// The cluster and run endpoints on their happy paths, with the embedded agent off so a started run stays queued
/// (no worker takes it): create credential, hosts and cluster, start a run (202), a second start (409 naming the active
/// run), read the run and its empty NDJSON log, and no secret in any answer.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClustersAndRunsApiTests : IDisposable
{
    private const string Password = "Sup3r-secret-ssh-password";
    private readonly KubeHaAppFactory _app = new(null, KubeHaAppFactory.AdminPassword, new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" });
    private readonly List<string> _bodies = [];

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CreateClusterThenRuns_HappyPathAndConflict_AnswersAsDocumented()
    {
        var client = await _app.AdminClientAsync();
        var credential = await PostAsync(client, "/api/v1/credentials", new { name = "ops", kind = "password", password = Password }, HttpStatusCode.Created);
        var hostIds = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            var host = await PostAsync(client, "/api/v1/hosts", new { name = $"cp{i}", address = $"10.77.3.{i}", port = 22, username = "kubeha", credentialId = credential.GetProperty("id").GetInt32() }, HttpStatusCode.Created);
            hostIds.Add(host.GetProperty("id").GetInt32());
        }

        var cluster = await PostAsync(client, "/api/v1/clusters", new
        {
            name = "prod-1",
            spec = new { loadBalancerMode = "node-local", controlPlaneEndpointHost = "127.0.0.1", controlPlaneEndpointPort = 5443, cni = "calico" },
            hosts = hostIds.Select(id => new { hostId = id, roles = new[] { "control-plane" } }),
        }, HttpStatusCode.Created);
        var clusterId = cluster.GetProperty("summary").GetProperty("id").GetInt32();

        var started = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "create" }, HttpStatusCode.Accepted);
        var runId = started.GetProperty("run").GetProperty("id").GetInt64();
        Assert.Equal("queued", started.GetProperty("run").GetProperty("status").GetString());

        var conflict = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "reset" }, HttpStatusCode.Conflict);
        Assert.Equal(runId, conflict.GetProperty("activeRunId").GetInt64());

        var run = await GetAsync(client, $"/api/v1/runs/{runId}");
        Assert.Equal("create", run.GetProperty("run").GetProperty("plan").GetString());
        Assert.Contains(run.GetProperty("steps").EnumerateArray(), s => s.GetProperty("key").GetString() == "init-first-control-plane");

        using var log = await client.GetAsync($"/api/v1/runs/{runId}/log");
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.Equal("application/x-ndjson", log.Content.Headers.ContentType?.MediaType);
        Assert.Equal(string.Empty, (await log.Content.ReadAsStringAsync()).Trim()); // queued: nothing ran yet

        var findings = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}/findings");
        Assert.Equal(0, findings.GetArrayLength());

        var badPlan = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "destroy" }, HttpStatusCode.BadRequest);
        Assert.True(badPlan.GetProperty("errors").TryGetProperty("plan", out _));

        var refusedDelete = await client.DeleteAsync($"/api/v1/clusters/{clusterId}");
        Assert.Equal(HttpStatusCode.Conflict, refusedDelete.StatusCode);

        Assert.All(_bodies, b => Assert.DoesNotContain(Password, b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartRun_EmptyOrForeignHostList_Refused400AndNoRunQueued()
    {
        var client = await _app.AdminClientAsync();
        var credential = await PostAsync(client, "/api/v1/credentials", new { name = "ops", kind = "password", password = Password }, HttpStatusCode.Created);
        var hostIds = new List<int>();
        foreach (var name in new[] { "cp1", "lb1", "stray" })
        {
            var host = await PostAsync(client, "/api/v1/hosts", new { name, address = $"10.77.4.{hostIds.Count + 1}", port = 22, username = "kubeha", credentialId = credential.GetProperty("id").GetInt32() }, HttpStatusCode.Created);
            hostIds.Add(host.GetProperty("id").GetInt32());
        }

        var cluster = await PostAsync(client, "/api/v1/clusters", new
        {
            name = "small",
            spec = new { loadBalancerMode = "dedicated-haproxy" },
            hosts = new object[] { new { hostId = hostIds[0], roles = new[] { "control-plane" } }, new { hostId = hostIds[1], roles = new[] { "load-balancer" } } },
        }, HttpStatusCode.Created);
        var clusterId = cluster.GetProperty("summary").GetProperty("id").GetInt32();

        var empty = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "reset", hostIds = Array.Empty<int>() }, HttpStatusCode.BadRequest);
        Assert.Contains("at least one host", empty.GetProperty("errors").GetProperty("hostIds")[0].GetString(), StringComparison.Ordinal);

        var foreign = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "add-nodes", hostIds = new[] { hostIds[2] } }, HttpStatusCode.BadRequest);
        Assert.Contains($"{hostIds[2]} (stray) is not a member of cluster 'small'", foreign.GetProperty("errors").GetProperty("hostIds")[0].GetString(), StringComparison.Ordinal);

        // renew-certificates renews every control plane in turn, and only a cluster that was created has any.
        var renewSome = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "renew-certificates", hostIds = new[] { hostIds[0] } }, HttpStatusCode.BadRequest);
        Assert.Contains("leave hostIds out", renewSome.GetProperty("errors").GetProperty("hostIds")[0].GetString(), StringComparison.Ordinal);
        var renewDraft = await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "renew-certificates" }, HttpStatusCode.Conflict);
        Assert.Contains("there are no certificates to renew", renewDraft.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var details = await GetAsync(client, $"/api/v1/clusters/{clusterId}");
        Assert.Equal(0, details.GetProperty("runs").GetArrayLength());

        // A member is accepted: the same request with the cluster's own host queues the reset.
        await PostAsync(client, $"/api/v1/clusters/{clusterId}/runs", new { plan = "reset", hostIds = new[] { hostIds[0] } }, HttpStatusCode.Accepted);
    }

    private async Task<JsonElement> PostAsync(HttpClient client, string url, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        _bodies.Add(text);
        Assert.True(response.StatusCode == expected, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        var text = await client.GetStringAsync(url);
        _bodies.Add(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
