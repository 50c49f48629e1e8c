using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeHa.Lab;
using KubeHa.Testing.Processes;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Issue 4's crash test with nothing in-process: the real KubeHa.Web (SQLite, embedded agent) runs as a child process,
/// drives a create run over its REST API, and is killed with SIGKILL after <c>kubeadm init</c> succeeded and while the
/// worker joins. Started again on the same data directory, it marks the run interrupted; resumed, the run finishes
/// without running <c>kubeadm init</c> a second time.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class AgentKilledTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("kubeha-killed-").FullName;
    private readonly string _token = "kh_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    private readonly int _port = AppProcess.FreePort();
    private AppProcess? _web;

    private Uri BaseUrl => new($"http://127.0.0.1:{_port}/");

    [Fact]
    public async Task CreateRun_WebProcessKilledAfterInit_ResumesAfterRestartWithoutRepeatingInit()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = cts.Token;
        await LabProvisioning.Lab.DownAsync(ct);
        var lab = await LabProvisioning.Lab.UpAsync(2, ct);
        // Every command on the worker takes 2 s more, so the run is surely still joining when the process is killed.
        await LabProvisioning.Lab.FaultAsync("node2", LabFault.Slow, ct, "2");

        _web = await StartWebAsync(ct);
        using var api = Client();
        var clusterId = await CreateClusterAsync(api, lab, ct);
        var start = await api.PostAsJsonAsync($"api/v1/clusters/{clusterId}/runs", new { plan = "create" }, ct);
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync(ct));
        var runId = (await ReadAsync(start, ct))["run"]!["id"]!.GetValue<long>();

        var beforeKill = await PollRunAsync(api, runId, r => StepStatus(r, "init-first-control-plane") == "succeeded" || Status(r) is "failed" or "succeeded", TimeSpan.FromMinutes(3), ct);
        Assert.Equal("running", Status(beforeKill));
        Assert.Equal("succeeded", StepStatus(beforeKill, "init-first-control-plane"));
        await _web.KillAsync();
        output.WriteLine($"killed pid {_web.Pid} with run {runId} at step(s) {string.Join(", ", Steps(beforeKill).Where(s => s.Status == "running").Select(s => s.Key))}");
        await _web.DisposeAsync();

        _web = await StartWebAsync(ct);
        var interrupted = await GetRunAsync(api, runId, ct);
        Assert.Equal("interrupted", Status(interrupted));
        await LabProvisioning.Lab.HealAsync("node2", LabFault.Slow, ct);

        var resume = await api.PostAsync($"api/v1/runs/{runId}/resume", null, ct);
        Assert.True(resume.IsSuccessStatusCode, await resume.Content.ReadAsStringAsync(ct));
        var done = await PollRunAsync(api, runId, r => Status(r) is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(4), ct);
        Assert.True(Status(done) == "succeeded", done.ToJsonString());
        Assert.Equal(2, done["run"]!["attempt"]!.GetValue<int>());
        var init = done["steps"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "init-first-control-plane")!;
        Assert.Equal(1, init["hosts"]!.AsArray().Single()!["attempt"]!.GetValue<int>());

        var log = await api.GetStringAsync($"api/v1/runs/{runId}/log", ct);
        var commands = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["text"]!.GetValue<string>()).ToList();
        Assert.Single(commands, t => t.StartsWith("$ kubeadm init", StringComparison.Ordinal));
        Assert.Contains(commands, t => t.StartsWith("$ kubeadm join", StringComparison.Ordinal));
    }

    private async Task<AppProcess> StartWebAsync(CancellationToken ct)
    {
        var web = AppProcess.Start("KubeHa.Web", AppProcess.BuiltDll("Web", "KubeHa.Web.dll"), new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BaseUrl.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["KubeHa__DataDirectory"] = _data,
            ["KubeHa__Admin__Password"] = "killed-test-admin-password",
            ["KubeHa__Bootstrap__ApiToken"] = _token,
            ["KubeHa__Provisioning__RetryDelay"] = "00:00:01",
        });
        await web.WaitUntilHealthyAsync(new Uri(BaseUrl, "healthz"), TimeSpan.FromMinutes(1), ct);
        return web;
    }

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return client;
    }

    private static async Task<int> CreateClusterAsync(HttpClient api, LabInventory lab, CancellationToken ct)
    {
        var key = await File.ReadAllTextAsync(lab["node1"].PrivateKeyPath, ct);
        var credential = await ReadAsync(await api.PostAsJsonAsync("api/v1/credentials", new { name = "lab-key", kind = "private-key", privateKey = key }, ct), ct);
        var hostIds = new Dictionary<string, int>();
        foreach (var name in new[] { "node1", "node2" })
        {
            var h = lab[name];
            var host = await ReadAsync(await api.PostAsJsonAsync("api/v1/hosts", new { name, address = h.Ip, port = h.SshPort, username = h.User, credentialId = credential["id"]!.GetValue<int>() }, ct), ct);
            hostIds[name] = host["id"]!.GetValue<int>();
            (await api.PostAsync($"api/v1/hosts/{hostIds[name]}/check", null, ct)).EnsureSuccessStatusCode();
        }

        foreach (var (name, id) in hostIds)
        {
            var checkedHost = await PollAsync(() => GetJsonAsync(api, $"api/v1/hosts/{id}", ct), h => h["checkStatus"]!.GetValue<string>() is "succeeded" or "failed", TimeSpan.FromMinutes(1), ct);
            Assert.True(checkedHost["checkStatus"]!.GetValue<string>() == "succeeded", $"{name}: {checkedHost["checkError"]}");
        }

        var cluster = await api.PostAsJsonAsync("api/v1/clusters", new
        {
            name = "killed",
            spec = new { kubernetesVersion = "1.31.2", loadBalancerMode = "node-local", controlPlaneEndpointPort = 5443, cni = "flannel", podSubnet = "10.244.0.0/16" },
            hosts = new[] { new { hostId = hostIds["node1"], roles = new[] { "control-plane" } }, new { hostId = hostIds["node2"], roles = new[] { "worker" } } },
        }, ct);
        var body = await cluster.Content.ReadAsStringAsync(ct);
        Assert.True(cluster.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["summary"]!["id"]!.GetValue<int>();
    }

    private static string Status(JsonNode run) => run["run"]!["status"]!.GetValue<string>();

    private static IEnumerable<(string Key, string Status)> Steps(JsonNode run) =>
        run["steps"]!.AsArray().Select(s => (s!["key"]!.GetValue<string>(), s["status"]!.GetValue<string>()));

    private static string StepStatus(JsonNode run, string key) => Steps(run).Single(s => s.Key == key).Status;

    private static Task<JsonNode> GetRunAsync(HttpClient api, long runId, CancellationToken ct) => GetJsonAsync(api, $"api/v1/runs/{runId}", ct);

    private Task<JsonNode> PollRunAsync(HttpClient api, long runId, Func<JsonNode, bool> done, TimeSpan within, CancellationToken ct) =>
        PollAsync(() => GetRunAsync(api, runId, ct), done, within, ct);

    private static async Task<JsonNode> GetJsonAsync(HttpClient api, string path, CancellationToken ct) =>
        JsonNode.Parse(await api.GetStringAsync(path, ct))!;

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> PollAsync(Func<Task<JsonNode>> observe, Func<JsonNode, bool> done, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await observe();
            if (done(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }

            await Task.Delay(200, ct);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_web is not null)
        {
            if (!_web.HasExited)
            {
                output.WriteLine(_web.Output.Length > 4000 ? _web.Output[^4000..] : _web.Output);
            }

            await _web.DisposeAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await LabProvisioning.Lab.DownAsync(cts.Token);
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp.
        }
    }
}
