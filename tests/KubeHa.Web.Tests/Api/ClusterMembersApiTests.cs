using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KubeHa.Core.Audit;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Tests.Api;

/// <summary>
/// <c>POST /api/v1/clusters/{id}/members</c> and <c>DELETE /api/v1/clusters/{id}/members/{hostId}</c> with the embedded
/// agent off (a started run stays queued): 400 per field, 409 while a run is active, the add-nodes run targets only
/// the new host, and the quorum guard's refusals (an even count only with an Admin's typed confirmation, never a loss
/// of quorum).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterMembersApiTests : IDisposable
{
    private readonly KubeHaAppFactory _app = new(null, KubeHaAppFactory.AdminPassword, new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" });
    private int _credentialId;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AddMembers_InvalidRequests_400PerFieldThenAWorkerAdded202AndBusy409()
    {
        var client = await _app.AdminClientAsync();
        var (clusterId, hosts) = await ClusterAsync(client, "grow", "cp1", "cp2", "cp3");
        var w1 = await HostAsync(client, "w1", checkedOk: true);
        var unchecked1 = await HostAsync(client, "w2", checkedOk: false);
        var cp4 = await HostAsync(client, "cp4", checkedOk: true);
        var w3 = await HostAsync(client, "w3", checkedOk: true);

        var empty = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", new { hosts = Array.Empty<object>() }, HttpStatusCode.BadRequest);
        Assert.Contains("at least one host", Error(empty, "hosts"), StringComparison.Ordinal);

        var notChecked = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((unchecked1, "worker")), HttpStatusCode.BadRequest);
        Assert.Contains("w2 has no successful check", Error(notChecked, "hosts"), StringComparison.Ordinal);

        var member = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((hosts[0], "worker")), HttpStatusCode.BadRequest);
        Assert.Contains("cp1 is already a member of cluster 'grow'", Error(member, "hosts"), StringComparison.Ordinal);

        var twice = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((w1, "worker"), (w1, "worker")), HttpStatusCode.BadRequest);
        Assert.Contains("listed twice", Error(twice, "hosts"), StringComparison.Ordinal);

        var even = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((cp4, "control-plane")), HttpStatusCode.BadRequest);
        Assert.Contains("4 stacked control planes run 4 etcd members", Error(even, "roles"), StringComparison.Ordinal);

        var other = await ClusterAsync(client, "other", "o1");
        var foreign = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((other.Hosts[0], "worker")), HttpStatusCode.BadRequest);
        Assert.Contains("o1 already belongs to cluster 'other'", Error(foreign, "hosts"), StringComparison.Ordinal);
        Assert.Empty(await RunsAsync(clusterId));

        var added = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((w1, "worker")), HttpStatusCode.Accepted);
        Assert.Equal("add-nodes", added.GetProperty("run").GetProperty("plan").GetString());
        Assert.Equal("queued", added.GetProperty("run").GetProperty("status").GetString());
        var run = Assert.Single(await RunsAsync(clusterId));
        Assert.Equal([w1], run.TargetHostIds!); // only the new host is prepared and joined
        var details = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clusters/{clusterId}");
        Assert.Contains(details.GetProperty("members").EnumerateArray(), m => m.GetProperty("hostId").GetInt32() == w1);

        var busy = await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((w3, "worker")), HttpStatusCode.Conflict);
        Assert.Equal(run.Id, busy.GetProperty("activeRunId").GetInt64());
        var busyRemove = await SendAsync(client, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{w1}", null, HttpStatusCode.Conflict);
        Assert.Equal(run.Id, busyRemove.GetProperty("activeRunId").GetInt64());
    }

    [Fact]
    public async Task RemoveMember_QuorumGuard_EvenCountNeedsAdminConfirmationLossOfQuorumNever()
    {
        var admin = await _app.AdminClientAsync();
        await TestUsers.CreateAsync(_app, "op", KubeHaRoles.Operator);
        var operatorClient = await _app.SignedInClientAsync("op", TestUsers.Password);
        var (clusterId, hosts) = await ClusterAsync(admin, "shrink", "cp1", "cp2", "cp3");
        var stray = await HostAsync(admin, "stray", checkedOk: true);

        var notMember = await SendAsync(operatorClient, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{stray}", null, HttpStatusCode.NotFound);
        Assert.Contains($"Host {stray} (stray) is not a member of cluster 'shrink'", notMember.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var even = await SendAsync(operatorClient, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{hosts[1]}", null, HttpStatusCode.Conflict);
        Assert.Contains("removing cp2 leaves 2 etcd members: a 2-member cluster needs 2 for quorum and tolerates no failure", even.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);

        await SendAsync(operatorClient, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{hosts[1]}", new { confirmEvenMembers = "shrink" }, HttpStatusCode.Forbidden);
        var wrongName = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{hosts[1]}", new { confirmEvenMembers = "shrunk" }, HttpStatusCode.BadRequest);
        Assert.Contains("'shrink'", Error(wrongName, "confirmEvenMembers"), StringComparison.Ordinal);
        Assert.Empty(await RunsAsync(clusterId));

        var confirmed = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{hosts[1]}", new { confirmEvenMembers = "shrink" }, HttpStatusCode.Accepted);
        Assert.Equal("reset", confirmed.GetProperty("run").GetProperty("plan").GetString());
        Assert.Equal([hosts[1]], Assert.Single(await RunsAsync(clusterId)).TargetHostIds!);

        // The removal succeeded (as the executor records it): 2 members stay. 2 -> 1 loses quorum while it leaves.
        await FinishRemovalAsync(clusterId, hosts[1]);
        var lost = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{hosts[0]}?confirmEvenMembers=shrink", null, HttpStatusCode.Conflict);
        Assert.Contains("a 2-member cluster needs 2 for quorum and only 1 would answer", lost.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(await RunsAsync(clusterId));

        // Audited once per request, refusals included (with their reason): not-member (404) is not a refusal of a cluster action.
        await using var db = await Db().CreateDbContextAsync();
        var audited = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.MemberRemoved).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([false, false, false, true, false], audited.Select(e => e.Succeeded));
        Assert.Contains("run #", audited[3].Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveMember_Worker_202ResetOfThatHostAlone()
    {
        var client = await _app.AdminClientAsync();
        var (clusterId, hosts) = await ClusterAsync(client, "plain", "cp1", "cp2", "cp3");
        var w1 = await HostAsync(client, "w1", checkedOk: true);
        await SendAsync(client, HttpMethod.Post, $"/api/v1/clusters/{clusterId}/members", Add((w1, "worker")), HttpStatusCode.Accepted);
        await FinishRunsAsync(clusterId);

        var removed = await SendAsync(client, HttpMethod.Delete, $"/api/v1/clusters/{clusterId}/members/{w1}", null, HttpStatusCode.Accepted);

        Assert.Equal("reset", removed.GetProperty("run").GetProperty("plan").GetString());
        Assert.Contains(removed.GetProperty("steps").EnumerateArray(), s => s.GetProperty("key").GetString() == "remove-etcd-members");
        Assert.Equal([w1], (await RunsAsync(clusterId))[^1].TargetHostIds!);
        Assert.Equal(3, hosts.Count);
    }

    private static object Add(params (int HostId, string Role)[] hosts) =>
        new { hosts = hosts.Select(h => new { hostId = h.HostId, roles = new[] { h.Role } }) };

    private static string Error(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    private async Task<(int ClusterId, List<int> Hosts)> ClusterAsync(HttpClient client, string name, params string[] controlPlanes)
    {
        var hosts = new List<int>();
        foreach (var host in controlPlanes)
        {
            hosts.Add(await HostAsync(client, host, checkedOk: true));
        }

        var cluster = await SendAsync(client, HttpMethod.Post, "/api/v1/clusters", new
        {
            name,
            spec = new { loadBalancerMode = "node-local", controlPlaneEndpointPort = 5443, cni = "calico" },
            hosts = hosts.Select(id => new { hostId = id, roles = new[] { "control-plane" } }),
        }, HttpStatusCode.Created);
        return (cluster.GetProperty("summary").GetProperty("id").GetInt32(), hosts);
    }

    private async Task<int> HostAsync(HttpClient client, string name, bool checkedOk)
    {
        if (_credentialId == 0)
        {
            var credential = await SendAsync(client, HttpMethod.Post, "/api/v1/credentials", new { name = "ops", kind = "password", password = "Sup3r-secret-ssh-password" }, HttpStatusCode.Created);
            _credentialId = credential.GetProperty("id").GetInt32();
        }

        var address = $"10.78.{Interlocked.Increment(ref _next) / 200}.{_next % 200 + 1}";
        var host = await SendAsync(client, HttpMethod.Post, "/api/v1/hosts", new { name, address, port = 22, username = "kubeha", credentialId = _credentialId }, HttpStatusCode.Created);
        var id = host.GetProperty("id").GetInt32();
        if (checkedOk)
        {
            await using var db = await Db().CreateDbContextAsync();
            var row = await db.Hosts.SingleAsync(h => h.Id == id);
            row.CheckStatus = HostCheckStatus.Succeeded;
            row.Facts = new HostFacts
            {
                Hostname = name, OsName = "Debian GNU/Linux 12 (bookworm)", OsId = "debian", OsVersion = "12", Kernel = "6.1.0", Architecture = "x86_64",
                CpuCount = 2, MemoryMb = 2048, ProductUuid = $"uuid-{id}", CgroupVersion = 2, PasswordlessSudo = true,
                Interfaces = [new NetworkInterfaceFact("eth0", $"02:00:00:00:{id / 256:x2}:{id % 256:x2}")],
            };
            await db.SaveChangesAsync();
        }

        return id;
    }

    private int _next;

    private IDbContextFactory<KubeHaDbContext> Db() => _app.Service<IDbContextFactory<KubeHaDbContext>>();

    private async Task<List<Run>> RunsAsync(int clusterId)
    {
        await using var db = await Db().CreateDbContextAsync();
        return await db.Runs.AsNoTracking().Where(r => r.ClusterId == clusterId).OrderBy(r => r.Id).ToListAsync();
    }

    private async Task FinishRunsAsync(int clusterId)
    {
        await using var db = await Db().CreateDbContextAsync();
        await db.Runs.Where(r => r.ClusterId == clusterId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Succeeded));
    }

    private async Task FinishRemovalAsync(int clusterId, int hostId)
    {
        await FinishRunsAsync(clusterId);
        await using var db = await Db().CreateDbContextAsync();
        await db.ClusterNodes.Where(n => n.ClusterId == clusterId && n.HostId == hostId).ExecuteDeleteAsync();
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
