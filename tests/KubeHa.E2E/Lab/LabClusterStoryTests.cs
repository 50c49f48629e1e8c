using System.Diagnostics;
using System.Text.RegularExpressions;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.E2E.Infrastructure;
using KubeHa.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Lab;

/// <summary>
/// The whole story of issue 5 in Chromium, on the lab: six simulated hosts registered and checked; an HA cluster
/// (node1-3 stacked control planes, node4 worker, node5/node6 HAProxy + keepalived with the VIP 10.77.1.10:8443)
/// created through the wizard; the run view streaming the join output while the run is in progress; the dashboard
/// showing every node Ready, every HAProxy backend UP, three healthy etcd members and the host that really holds the
/// VIP; then node2's apiserver killed (its backend DOWN on both balancers, its kube-apiserver pod not ready) and its
/// kubelet stopped (node2 NotReady), live in the open page. Category Lab: run under `flock /tmp/kubeha-lab.lock`.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
[Trait("Category", "Lab")]
public sealed class LabClusterStoryTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Vip = "10.77.1.10";
    private static readonly TimeSpan HostCheckTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ControlPlanes = ["node1", "node2", "node3"];
    private static readonly string[] Balancers = ["node5", "node6"];
    private static readonly string[] Nodes = ["node1", "node2", "node3", "node4"];

    private readonly LabController _lab = new();
    private LabInventory _inventory = null!;
    private KubeHaApp _app = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _lab.DownAsync(cts.Token);
        _inventory = await _lab.UpAsync(6, cts.Token);
        await _lab.RunAsync(cts.Token, "profile", "fast");
        _app = KubeHaApp.Start(new Dictionary<string, string?>
        {
            ["KubeHa:Health:PollInterval"] = "00:00:01",
            ["KubeHa:Provisioning:RetryDelay"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _lab.DownAsync(cts.Token);
    }

    [Fact]
    public async Task CreateHaCluster_ThroughWizardOnLab_DashboardShowsHealthThenApiserverDownLive()
    {
        var clock = Stopwatch.StartNew();
        await RegisterAndCheckHostsAsync();
        output.WriteLine($"hosts checked after {clock.Elapsed}");
        var page = await browser.NewPageAsync(_app);

        await page.GotoReadyAsync("hosts");
        await Expect(page.Locator("[data-testid=host-status][data-status=Succeeded]")).ToHaveCountAsync(6);
        await Screenshots.SaveAsync(page, "lab-hosts");

        // Basics.
        await page.GotoReadyAsync("clusters/new");
        await page.ByTestId("wizard-name").FillAsync("lab-ha");
        await Screenshots.SaveAsync(page, "lab-wizard-1-basics");
        await page.ByTestId("wizard-next").ClickAsync();

        // Topology: HAProxy + keepalived, VIP from the lab's VIP range, endpoint port 8443.
        await Expect(page.ByTestId("wizard-vip")).ToBeVisibleAsync(); // keepalived mode is the default
        await page.ByTestId("wizard-vip").FillAsync(Vip);
        await Expect(page.ByTestId("wizard-endpoint-port")).ToHaveValueAsync("8443");
        await Screenshots.SaveAsync(page, "lab-wizard-2-topology");
        await page.ByTestId("wizard-next").ClickAsync();

        // Hosts: their gathered facts, three control planes, a worker and two load balancers.
        await Expect(page.ByTestId("wizard-hosts")).ToBeVisibleAsync();
        foreach (var name in ControlPlanes)
        {
            await HostRow(page, name).ByTestId("role-cp").CheckAsync();
        }

        await HostRow(page, "node4").ByTestId("role-worker").CheckAsync();
        foreach (var name in Balancers)
        {
            await HostRow(page, name).ByTestId("role-lb").CheckAsync();
        }

        await Expect(page.ByTestId("diagram-control-planes")).ToContainTextAsync("node1 (init)");
        await Expect(page.ByTestId("hosts-error")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "lab-wizard-3-hosts");
        await page.ByTestId("wizard-next").ClickAsync();

        // Network: defaults. Review: the plan preview, no single-control-plane warning, then create.
        await Expect(page.ByTestId("wizard-pod-subnet")).ToHaveValueAsync("10.244.0.0/16");
        await Screenshots.SaveAsync(page, "lab-wizard-4-network");
        await page.ByTestId("wizard-next").ClickAsync();
        await Expect(page.ByTestId("plan-preview")).ToBeVisibleAsync();
        await Expect(page.ByTestId("review-warning").Filter(new() { HasText = "single control plane" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "lab-wizard-5-review");
        await page.ByTestId("wizard-create").ClickAsync();

        // The run view: record every log line the page renders, with the run's status at that moment. The log is
        // virtualised (only the lines in view exist, and Blazor reuses their elements), so after every DOM change the
        // rendered lines are read by their sequence number rather than looked for afterwards.
        await page.WaitForURLAsync(new Regex("/runs/\\d+$"));
        var started = clock.Elapsed;
        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync("""
            () => {
                window.__kubehaSamePage = true;
                window.__kubehaLines = new Map();
                const scan = () => {
                    const status = document.querySelector('[data-testid=run-status]')?.getAttribute('data-status') ?? '';
                    document.querySelectorAll('[data-testid=log-line]').forEach(el => {
                        const seq = el.getAttribute('data-seq');
                        if (!window.__kubehaLines.has(seq)) {
                            window.__kubehaLines.set(seq, { host: el.querySelector('.host')?.textContent ?? '', text: el.textContent, status });
                        }
                    });
                };
                scan();
                new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-seq'] });
            }
            """);

        // Follow the joins through the log's search: only matching lines are in the (virtualised) view, so each is drawn
        // as it arrives. Unfiltered, a fast run's render batch can carry a host's whole join output past the view, and
        // the run's status can change in the same batch (a fresh CI machine did exactly that).
        await page.ByTestId("log-search").FillAsync("joined the cluster");

        // kubeadm join output of a joining host (not node1, which runs init) appears while the run is still running.
        const string joinSeen = """
            () => [...window.__kubehaLines.values()].some(l => l.status === 'running' && ['node2', 'node3', 'node4'].includes(l.host)
                && /\[preflight\]|\[kubelet-start\]|\[control-plane-join\]|has joined the cluster/.test(l.text))
            """;
        var runId = long.Parse(new Uri(page.Url).Segments[^1]);
        await page.WaitForFunctionAsync($"() => ({joinSeen})() || ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(document.querySelector('[data-testid=run-status]')?.getAttribute('data-status'))",
            null, new() { Timeout = Ms(RunTimeout) });
        Assert.True(await page.EvaluateAsync<bool>(joinSeen), "No join output streamed while the run was running: " + await DescribeRunAsync(runId));
        await Screenshots.SaveAsync(page, "lab-run-joining", fullPage: false);
        output.WriteLine($"join output seen {clock.Elapsed - started} after the run started");

        await page.WaitForFunctionAsync("() => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(document.querySelector('[data-testid=run-status]')?.getAttribute('data-status'))",
            null, new() { Timeout = Ms(RunTimeout) });
        Assert.True(await page.ByTestId("run-status").GetAttributeAsync("data-status") == "succeeded", await DescribeRunAsync(runId));
        output.WriteLine($"run succeeded {clock.Elapsed - started} after it started");
        var joined = await page.EvaluateAsync<string[]>("""
            () => [...window.__kubehaLines.values()].filter(l => l.status === 'running' && /has joined the cluster/.test(l.text)).map(l => l.host)
            """);
        output.WriteLine($"'has joined the cluster' rendered live for: {string.Join(", ", joined.Distinct())}");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__kubehaSamePage === true"), "The run view reloaded instead of updating live.");
        await Expect(page.Locator("[data-testid=run-step][data-step=verify-cluster]")).ToHaveAttributeAsync("data-status", "succeeded");
        await Screenshots.SaveAsync(page, "lab-run-succeeded", fullPage: false);

        // The dashboard: every node Ready, every API backend UP on both balancers, three healthy etcd members, the VIP
        // holder the lab really gives the address to.
        var clusterId = (await _app.Services.GetRequiredService<ClusterCatalog>().ListAsync(default)).Single(c => c.Name == "lab-ha").Id;
        await page.ByTestId("run-cluster").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/clusters/{clusterId}$"));
        var live = new LocatorAssertionsToHaveCountOptions { Timeout = Ms(LiveTimeout) };
        foreach (var node in Nodes)
        {
            await Expect(NodeStatus(page, node)).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Ms(LiveTimeout) });
        }

        await Expect(page.ByTestId("node-status")).ToHaveCountAsync(Nodes.Length);
        await Expect(page.Locator("[data-testid=backend-chip][data-backend=kube-apiserver][data-state=Up]")).ToHaveCountAsync(6, live);
        await Expect(page.Locator("[data-testid=etcd-member][data-healthy=true]")).ToHaveCountAsync(3, live);
        await Expect(page.ByTestId("etcd-member")).ToHaveCountAsync(3);
        await Expect(page.ByTestId("etcd-error")).ToHaveCountAsync(0);
        var holder = await VipHolderAsync();
        await Expect(page.ByTestId("vip-holder")).ToContainTextAsync($"VIP {Vip} held by {holder}", new() { Timeout = Ms(LiveTimeout) });
        await Expect(page.Locator($"[data-testid=load-balancer][data-host={holder}] [data-testid=vip-chip]")).ToHaveCountAsync(1);
        await Expect(page.ByTestId("vip-chip")).ToHaveCountAsync(1);
        await Expect(ApiserverPod(page, "node2")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Ms(LiveTimeout) });
        await Expect(page.ByTestId("api-error")).ToHaveCountAsync(0);
        await Expect(page.ByTestId("cluster-status")).ToHaveAttributeAsync("data-status", "Healthy");
        await Expect(page.ByTestId("cluster-degraded")).ToHaveCountAsync(0);

        // Certificates of the three control planes, read with kubeadm certs check-expiration: a year for the leaves.
        await Expect(page.Locator("[data-testid=certificate][data-name=apiserver]")).ToHaveCountAsync(3, live);
        foreach (var days in await page.Locator("[data-testid=certificate][data-name=apiserver]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.days)"))
        {
            Assert.InRange(int.Parse(days, System.Globalization.CultureInfo.InvariantCulture), 363, 365);
        }

        await Expect(page.Locator("[data-testid=certificate][data-name=ca]")).ToHaveCountAsync(3);
        await Expect(page.ByTestId("certificates-error")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "lab-dashboard-healthy");

        // Renew the certificates from the panel: a confirmation, then a renew-certificates run followed live, one control
        // plane at a time, and back on the dashboard every backend UP again.
        await page.ByTestId("certificates-renew").ClickAsync();
        await Expect(page.ByTestId("certificates-renew-confirm")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "lab-certificates-renew-confirm", fullPage: false);
        await page.ByTestId("certificates-renew-start").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var renewRunId = long.Parse(new Uri(page.Url).Segments[^1]);
        await page.WaitForFunctionAsync("() => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(document.querySelector('[data-testid=run-status]')?.getAttribute('data-status'))",
            null, new() { Timeout = Ms(RunTimeout) });
        Assert.True(await page.ByTestId("run-status").GetAttributeAsync("data-status") == "succeeded", await DescribeRunAsync(renewRunId));
        await Expect(page.Locator("[data-testid=run-step][data-step=renew-certificates]")).ToHaveAttributeAsync("data-status", "succeeded");
        await Screenshots.SaveAsync(page, "lab-run-renew-certificates", fullPage: false);
        await page.ByTestId("run-cluster").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/clusters/{clusterId}$"));
        await Expect(page.Locator("[data-testid=backend-chip][data-backend=kube-apiserver][data-state=Up]")).ToHaveCountAsync(6, live);
        await Expect(page.Locator("[data-testid=etcd-member][data-healthy=true]")).ToHaveCountAsync(3, live);
        await Expect(page.ByTestId("cluster-status")).ToHaveAttributeAsync("data-status", "Healthy", new() { Timeout = Ms(LiveTimeout) });
        await page.EvaluateAsync("() => { window.__kubehaSamePage = true; }");

        // node2's apiserver dies: both balancers mark it DOWN and its kube-apiserver pod stops being ready, live.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _lab.FaultAsync("node2", LabFault.ApiserverKilled, cts.Token);
        await Expect(page.Locator("[data-testid=backend-chip][data-backend=kube-apiserver][data-server=node2][data-state=Down]")).ToHaveCountAsync(2, live);
        await Expect(page.Locator("[data-testid=backend-chip][data-backend=kube-apiserver][data-state=Up]")).ToHaveCountAsync(4);
        await Expect(ApiserverPod(page, "node2")).ToHaveAttributeAsync("data-ready", "false", new() { Timeout = Ms(LiveTimeout) });
        await Expect(NodeStatus(page, "node2")).ToHaveAttributeAsync("data-ready", "true"); // the kubelet still reports
        await Expect(page.ByTestId("cluster-status")).ToHaveAttributeAsync("data-status", "Degraded");
        await Expect(page.ByTestId("cluster-degraded")).ToContainTextAsync("node5: node2 DOWN");
        await Screenshots.SaveAsync(page, "lab-dashboard-apiserver-down");

        // Then its kubelet stops: node2 turns NotReady; the other nodes stay Ready.
        await _lab.FaultAsync("node2", LabFault.KubeletStopped, cts.Token);
        await Expect(NodeStatus(page, "node2")).ToHaveAttributeAsync("data-ready", "false", new() { Timeout = Ms(LiveTimeout) });
        await Expect(page.Locator("[data-testid=node-status][data-ready=true]")).ToHaveCountAsync(3);
        await Expect(page.ByTestId("cluster-degraded")).ToContainTextAsync("node2 NotReady");
        await Expect(page.Locator("[data-testid=etcd-member][data-healthy=true]")).ToHaveCountAsync(3); // static pods outlive the kubelet
        Assert.True(await page.EvaluateAsync<bool>("() => window.__kubehaSamePage === true"), "The dashboard reloaded instead of updating live.");
        await Screenshots.SaveAsync(page, "lab-dashboard-degraded");
        output.WriteLine($"story done after {clock.Elapsed}");
        await page.Context.CloseAsync(); // before the app stops, so no circuit renders into a disposed container
    }

    private static ILocator HostRow(IPage page, string name) => page.Row("wizard-host-name", name);

    private static ILocator NodeStatus(IPage page, string node) => page.Locator($"[data-testid=node-status][data-node={node}]");

    private static ILocator ApiserverPod(IPage page, string node) => page.Locator($"[data-testid=control-plane-pod][data-pod=kube-apiserver-{node}]");

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;

    /// <summary>The run's status, error and last log lines from the ledger, for a failure message.</summary>
    private async Task<string> DescribeRunAsync(long runId)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        var lines = await db.LogLines.Where(l => l.RunId == runId).OrderByDescending(l => l.Seq).Take(40).AsNoTracking().ToListAsync();
        return $"run {runId} {run.Status}: {run.Error}\n" + string.Join('\n', lines.AsEnumerable().Reverse().Select(l => $"[{l.StepKey}] {l.Text}"));
    }

    /// <summary>Which balancer holds the VIP, asked of the hosts themselves (exactly one must).</summary>
    private async Task<string> VipHolderAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var holders = new List<string>();
        foreach (var name in Balancers)
        {
            var addresses = await _lab.ExecAsync(name, "ip -o addr show", cts.Token);
            if (addresses.Stdout.Contains($"inet {Vip}/", StringComparison.Ordinal))
            {
                holders.Add(name);
            }
        }

        return Assert.Single(holders);
    }

    /// <summary>
    /// The lab's key as a credential and the six hosts, added through the same services the Hosts page and the REST API
    /// use, then checked for real (trust on first use pins each host key; facts gathered over SSH).
    /// </summary>
    private async Task RegisterAndCheckHostsAsync()
    {
        var key = await File.ReadAllTextAsync(_inventory.Hosts[0].PrivateKeyPath);
        var credential = await _app.Services.GetRequiredService<CredentialStore>().CreateAsync(
            new CredentialInput { Name = "lab-key", Kind = CredentialKind.PrivateKey, PrivateKey = key }, default);
        Assert.True(credential.Succeeded);
        var inventory = _app.Services.GetRequiredService<HostInventory>();
        var ids = new List<int>();
        foreach (var host in _inventory.Hosts)
        {
            var added = await inventory.AddAsync(new HostInput { Name = host.Name, Address = host.Ip, Port = host.SshPort, Username = host.User, CredentialId = credential.Value }, default);
            Assert.True(added.Succeeded);
            ids.Add(added.Value!.Id);
        }

        await _app.Services.GetRequiredService<IHostCheckScheduler>().ScheduleAsync(ids, default);
        var deadline = DateTimeOffset.UtcNow + HostCheckTimeout;
        while (true)
        {
            var hosts = await inventory.ListAsync(default);
            if (hosts.All(h => h.CheckStatus is HostCheckStatus.Succeeded or HostCheckStatus.Failed))
            {
                Assert.All(hosts, h => Assert.True(h.CheckStatus == HostCheckStatus.Succeeded, $"{h.Name}: {h.CheckError}"));
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "Host checks did not finish: " + string.Join(", ", hosts.Select(h => $"{h.Name} {h.CheckStatus}")));
            await Task.Delay(500);
        }
    }
}
