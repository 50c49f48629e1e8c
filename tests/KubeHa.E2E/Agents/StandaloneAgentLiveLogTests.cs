using System.Diagnostics;
using System.Security.Cryptography;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.Core.Security;
using KubeHa.E2E.Infrastructure;
using KubeHa.Lab;
using KubeHa.Testing.PostgreSql;
using KubeHa.Testing.Processes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Agents;

/// <summary>
/// Issue 8's "a run executed by a standalone agent with its live log reaching a browser", with nothing faked: a
/// PostgreSQL server the test starts; the real Web on Kestrel on that database with its embedded worker off
/// (<c>KubeHa:Agent:Embedded=false</c>); a create run of a two-host lab cluster queued while no agent exists and its
/// run page opened in Chromium; only then one real agent process (src/Agent, its own OS process) started, which claims
/// and executes the run over SSH and relays its events to Web's SignalR hub. The open page must show the lines, the
/// step and host-step status changes and the run's status as they happen, without a reload.
/// Category Lab: run under <c>flock /tmp/kubeha-lab.lock</c>.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
[Trait("Category", "Lab")]
public sealed class StandaloneAgentLiveLogTests(BrowserFixture browser, PostgreSqlServer postgres, ITestOutputHelper output)
    : IClassFixture<PostgreSqlServer>, IAsyncLifetime
{
    private const string AgentName = "agent-e2e";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);
    private static readonly string[] Terminal = ["succeeded", "failed", "cancelled", "interrupted"];

    private readonly LabController _lab = new();
    private readonly string _agentToken = "agent-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    private LabInventory _inventory = null!;
    private string _connectionString = null!;
    private KubeHaApp? _app;
    private AppProcess? _agent;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _lab.DownAsync(cts.Token);
        _inventory = await _lab.UpAsync(2, cts.Token);
        await _lab.RunAsync(cts.Token, "profile", "fast");
        _connectionString = await postgres.CreateDatabaseAsync("e2e", cts.Token);
        _app = KubeHaApp.Start(new Dictionary<string, string?>
        {
            ["KubeHa:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:KubeHa"] = _connectionString,
            ["KubeHa:Agent:Embedded"] = "false",
            ["KubeHa:Agents:Token"] = _agentToken,
            ["KubeHa:Agents:HeartbeatInterval"] = "00:00:01",
            ["KubeHa:Agents:StaleAfter"] = "00:00:05",
        });
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _lab.DownAsync(cts.Token);
    }

    [Fact]
    public async Task CreateRun_ExecutedByStandaloneAgent_OpenRunPageShowsLinesAndStatusesLive()
    {
        var app = _app!;
        var clock = Stopwatch.StartNew();
        var clusterId = await AddClusterAsync(app);
        var runId = await app.Services.GetRequiredService<IRunScheduler>().StartAsync(clusterId, PlanCatalog.Create, null, KubeHaApp.AdminUserName, default);

        // The page is open (and its circuit subscribed) while the run is queued and no agent exists, so every line it
        // shows can only have come through the hub, live.
        var page = await browser.NewPageAsync(app);
        await page.GotoReadyAsync($"runs/{runId}");
        await Expect(page.ByTestId("run-status")).ToHaveAttributeAsync("data-status", "queued");
        await Expect(page.ByTestId("log-line")).ToHaveCountAsync(0);
        await page.EvaluateAsync("""
            () => {
                window.__kubehaSamePage = true;
                window.__kubehaLines = new Map();   // seq -> { host, text, status } when first rendered
                window.__kubehaOrder = [];          // seqs in the order they were first rendered
                window.__kubehaSteps = {};          // step key -> statuses in the order they were rendered
                window.__kubehaHostSteps = {};      // "step/host" -> statuses in the order they were rendered
                window.__kubehaRunStatuses = [];
                const push = (list, value) => { if (list[list.length - 1] !== value) list.push(value); };
                const scan = () => {
                    const status = document.querySelector('[data-testid=run-status]')?.getAttribute('data-status') ?? '';
                    push(window.__kubehaRunStatuses, status);
                    document.querySelectorAll('[data-testid=run-step]').forEach(el => {
                        const key = el.getAttribute('data-step');
                        push(window.__kubehaSteps[key] ??= [], el.getAttribute('data-status'));
                        el.querySelectorAll('[data-testid=host-step]').forEach(h => {
                            push(window.__kubehaHostSteps[key + '/' + h.getAttribute('data-host')] ??= [], h.getAttribute('data-status'));
                        });
                    });
                    document.querySelectorAll('[data-testid=log-line]').forEach(el => {
                        const seq = Number(el.getAttribute('data-seq'));
                        if (!window.__kubehaLines.has(seq)) {
                            window.__kubehaLines.set(seq, { host: el.querySelector('.host')?.textContent ?? '', text: el.textContent, status });
                            window.__kubehaOrder.push(seq);
                        }
                    });
                };
                scan();
                new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-seq', 'data-status'] });
            }
            """);

        // Web executes nothing, so every event its in-process feed carries for this run came through the hub.
        using var relayed = app.Services.GetRequiredService<RunEvents>().SubscribeAll();
        _agent = AppProcess.StartAgent(AgentName, new Dictionary<string, string>
        {
            ["KubeHa__Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__KubeHa"] = _connectionString,
            ["KubeHa__DataDirectory"] = app.DataDirectory, // the Data Protection key ring that encrypted the credential
            ["KubeHa__Agent__WebUrl"] = app.BaseUrl.ToString(),
            ["KubeHa__Agents__Token"] = _agentToken,
            ["KubeHa__Agents__HeartbeatInterval"] = "00:00:01",
            ["KubeHa__Agents__StaleAfter"] = "00:00:05",
            ["KubeHa__Provisioning__RetryDelay"] = "00:00:01",
        });
        output.WriteLine($"agent started (pid {_agent.Pid}) after {clock.Elapsed}");

        // kubeadm init's own output, on node1, rendered while the run is still running.
        const string initSeen = """
            () => [...window.__kubehaLines.values()].some(l => l.status === 'running' && l.host === 'node1'
                && /\[init\]|\[preflight\]|\[control-plane\]|\[kubelet-start\]/.test(l.text))
            """;
        const string finished = "() => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(document.querySelector('[data-testid=run-status]')?.getAttribute('data-status'))";
        await page.WaitForFunctionAsync($"() => ({initSeen})() || ({finished})()", null, new() { Timeout = Ms(RunTimeout) });
        Assert.True(await page.EvaluateAsync<bool>(initSeen), "No kubeadm init output rendered while the run was running: " + await DescribeAsync(runId));
        output.WriteLine($"kubeadm init output live after {clock.Elapsed}");
        await Expect(page.ByTestId("run-agent")).ToHaveAttributeAsync("data-agent", AgentName); // shown live too
        await Screenshots.SaveAsync(page, "agent-run-live", fullPage: false);

        await page.WaitForFunctionAsync(finished, null, new() { Timeout = Ms(RunTimeout) });
        var status = await page.ByTestId("run-status").GetAttributeAsync("data-status");
        Assert.True(status == "succeeded", $"{status}: " + await DescribeAsync(runId));
        output.WriteLine($"run succeeded after {clock.Elapsed}");

        // The agent, not Web, executed it; the relay and the page were the only path to the browser.
        var run = await LoadRunAsync(app, runId);
        Assert.Equal(AgentName, run.ClaimedBy);
        var ledger = await LoadLinesAsync(app, runId);
        var hubLines = new List<long>();
        while (relayed.Reader.TryRead(out var e))
        {
            if (e is RunLogEvent line && line.RunId == runId)
            {
                hubLines.Add(line.Seq);
            }
        }

        Assert.Equal(0, relayed.Dropped);
        Assert.Equal(ledger.Select(l => l.Seq), hubLines);

        // Every line of the ledger reached the page, first rendered in Seq order, most of them while it ran, each with
        // the text the agent wrote.
        var order = await page.EvaluateAsync<long[]>("() => window.__kubehaOrder");
        var lines = (await page.EvaluateAsync<string[][]>("() => [...window.__kubehaLines].map(([seq, l]) => [String(seq), l.host, l.text, l.status])"))
            .ToDictionary(l => long.Parse(l[0], System.Globalization.CultureInfo.InvariantCulture), l => new RenderedLine(l[1], l[2], l[3]));
        Assert.True(order.Length > 20, $"only {order.Length} lines rendered");
        Assert.Equal(order.Order().ToArray(), order);
        Assert.Equal(order.Length, order.Distinct().Count());
        var live = lines.Values.Count(l => l.Status == "running");
        output.WriteLine($"{ledger.Count} lines in the ledger, {order.Length} rendered in order, {live} while running");
        Assert.True(live >= order.Length / 2, $"only {live} of {order.Length} lines were rendered while the run was running");
        foreach (var seq in order)
        {
            var line = ledger.Single(l => l.Seq == seq);
            Assert.Contains(line.Text, lines[seq].Text, StringComparison.Ordinal);
        }

        await Expect(page.ByTestId("run-log")).ToHaveAttributeAsync("data-last-seq", ledger[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.ByTestId("run-log")).ToHaveAttributeAsync("data-line-count", ledger.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.ByTestId("run-log")).ToHaveAttributeAsync("data-contiguous", "true");

        // Statuses changed in the open page as the agent reported them: the run queued -> running -> succeeded, kubeadm
        // init's step and its host result pending/running -> succeeded.
        var runStatuses = await page.EvaluateAsync<string[]>("() => window.__kubehaRunStatuses");
        Assert.Equal(["queued", "running", "succeeded"], runStatuses.Where(s => s is "queued" or "running" or "succeeded"));
        var steps = await page.EvaluateAsync<Dictionary<string, string[]>>("() => window.__kubehaSteps");
        var hostSteps = await page.EvaluateAsync<Dictionary<string, string[]>>("() => window.__kubehaHostSteps");
        output.WriteLine("steps: " + string.Join("; ", steps.Select(s => $"{s.Key} {string.Join(">", s.Value)}")));
        output.WriteLine("host steps: " + string.Join("; ", hostSteps.Select(s => $"{s.Key} {string.Join(">", s.Value)}")));
        Assert.Equal(["running", "succeeded"], steps["init-first-control-plane"].SkipWhile(s => s == "pending"));
        Assert.True(steps.Values.Count(s => s.Contains("running") && s[^1] == "succeeded") >= 3, "fewer than three steps seen running then succeeded live");
        Assert.Contains("running", hostSteps["init-first-control-plane/node1"]);
        Assert.Equal("succeeded", hostSteps["init-first-control-plane/node1"][^1]);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__kubehaSamePage === true"), "The run page reloaded instead of updating live.");

        // The Agents page lists the agent that ran it, online.
        await page.GotoReadyAsync("agents");
        var row = page.Row("agent-name", AgentName);
        await Expect(row.ByTestId("agent-state")).ToHaveTextAsync("online");
        output.WriteLine($"done after {clock.Elapsed}");
        await page.Context.CloseAsync(); // before the app stops, so no circuit renders into a disposed container
    }

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;

    /// <summary>The lab key as a credential (encrypted by Web's key ring), both hosts pinned, a one-control-plane cluster.</summary>
    private async Task<int> AddClusterAsync(KubeHaApp app)
    {
        var key = await File.ReadAllTextAsync(_inventory.Hosts[0].PrivateKeyPath);
        var protector = app.Services.GetRequiredService<ISecretProtector>();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        var credential = new Credential { Name = "lab-key", Kind = CredentialKind.PrivateKey, ProtectedSecret = protector.Protect(key) };
        var hosts = new Dictionary<string, ManagedHost>();
        foreach (var h in _inventory.Hosts)
        {
            var pub = await File.ReadAllTextAsync(h.HostKeyPath);
            hosts[h.Name] = new ManagedHost
            {
                Name = h.Name, Address = h.Ip, Port = h.SshPort, Username = h.User, Credential = credential,
                HostKeyAlgorithm = "ssh-ed25519", HostKeyFingerprint = SshFingerprint.Sha256OfPublicKeyLine(pub),
                HostKeyPinnedAt = DateTimeOffset.UtcNow, CheckStatus = HostCheckStatus.Succeeded,
            };
        }

        var now = DateTimeOffset.UtcNow;
        var cluster = new Cluster
        {
            Name = "agent-live",
            Spec = new ClusterSpec
            {
                KubernetesVersion = "1.31.2", LoadBalancerMode = LoadBalancerMode.NodeLocal, ControlPlaneEndpointPort = 5443,
                Cni = CniPlugin.Flannel, PodSubnet = "10.244.0.0/16",
            },
            CreatedAt = now,
            UpdatedAt = now,
        };
        cluster.Nodes.Add(new ClusterNode { Host = hosts["node1"], Role = NodeRole.ControlPlane });
        cluster.Nodes.Add(new ClusterNode { Host = hosts["node2"], Role = NodeRole.Worker });
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync();
        return cluster.Id;
    }

    private static async Task<Run> LoadRunAsync(KubeHaApp app, long runId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    private static async Task<List<LogLine>> LoadLinesAsync(KubeHaApp app, long runId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        return await db.LogLines.AsNoTracking().Where(l => l.RunId == runId).OrderBy(l => l.Seq).ToListAsync();
    }

    /// <summary>The run's status, error, last log lines and the agent's output, for a failure message.</summary>
    private async Task<string> DescribeAsync(long runId)
    {
        var run = await LoadRunAsync(_app!, runId);
        var lines = await LoadLinesAsync(_app!, runId);
        var agent = _agent?.Output ?? "";
        return $"run {runId} {run.Status} by {run.ClaimedBy}: {run.Error}\n"
            + string.Join('\n', lines.TakeLast(30).Select(l => $"[{l.StepKey}] {l.Text}"))
            + "\n--- agent ---\n" + (agent.Length > 4000 ? agent[^4000..] : agent);
    }

    private sealed record RenderedLine(string Host, string Text, string Status);
}
