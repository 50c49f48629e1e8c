using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.E2E.Infrastructure;
using KubeHa.Testing.Ssh;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Clusters;

/// <summary>
/// An operator creates a cluster through the wizard on three real sshd hosts (loopback, pinned host keys). These hosts
/// cannot become Kubernetes nodes: a port kubeadm needs (10259, the scheduler's) is taken, so the run fails at the
/// preflight step. The run view must show that failure with its host, error and last lines, stream a resumed
/// attempt's output live, and show exactly the same lines after a reload and in a second browser.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
public sealed class CreateClusterWizardTests(BrowserFixture browser, SshdFixture ssh) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly List<SshdHost> _extra = [];
    private KubeHaApp _app = null!;
    private TcpListener? _schedulerPort;

    public async Task InitializeAsync()
    {
        _app = KubeHaApp.Start();
        _extra.Add(await ssh.StartExtraAsync());
        _extra.Add(await ssh.StartExtraAsync());
        try
        {
            _schedulerPort = new TcpListener(IPAddress.Loopback, 10259);
            _schedulerPort.Start();
        }
        catch (SocketException)
        {
            _schedulerPort = null; // Already taken on this machine: preflight fails all the same.
        }
    }

    public async Task DisposeAsync()
    {
        _schedulerPort?.Stop();
        foreach (var host in _extra)
        {
            await host.DisposeAsync();
        }

        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CreateCluster_ThroughWizardOnUnfitHosts_RunViewStreamsFailureAndSurvivesReload()
    {
        await AddPinnedHostsAsync();
        var page = await browser.NewPageAsync(_app);

        // Basics.
        await page.GotoReadyAsync("clusters/new");
        await page.ByTestId("wizard-name").FillAsync("e2e-lab");
        await Screenshots.SaveAsync(page, "wizard-1-basics");
        await page.ByTestId("wizard-next").ClickAsync();

        // Topology: HAProxy on every node, no load-balancer host needed.
        await page.ByTestId("lb-node-local").ClickAsync();
        await Expect(page.ByTestId("wizard-endpoint-port")).ToHaveValueAsync("5443");
        await Screenshots.SaveAsync(page, "wizard-2-topology");
        await page.ByTestId("wizard-next").ClickAsync();

        // Hosts: no control plane first, to see the message; then node-a control plane, node-b and node-c workers.
        await Expect(page.ByTestId("wizard-hosts")).ToBeVisibleAsync();
        await page.ByTestId("wizard-next").ClickAsync();
        await Expect(page.ByTestId("hosts-error").Filter(new() { HasText = "at least one control plane" })).ToBeVisibleAsync();
        await HostRow(page, "node-a").ByTestId("role-cp").CheckAsync();
        await HostRow(page, "node-b").ByTestId("role-worker").CheckAsync();
        await HostRow(page, "node-c").ByTestId("role-worker").CheckAsync();
        await Expect(page.ByTestId("diagram-control-planes")).ToContainTextAsync("node-a (init)");
        await Expect(page.ByTestId("hosts-error").Filter(new() { HasText = "at least one control plane" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "wizard-3-hosts");

        // On a phone (390 px) every role checkbox is a labelled, usable control.
        await page.SetViewportSizeAsync(390, 844);
        var phoneCheckbox = HostRow(page, "node-c").ByTestId("role-worker");
        var box = await phoneCheckbox.BoundingBoxAsync();
        Assert.True(box is { Width: >= 16, Height: >= 16 } && box.X >= 0 && box.X + box.Width <= 390, $"role checkbox at {box?.X},{box?.Y} {box?.Width}x{box?.Height}");
        await Screenshots.SaveAsync(page, "wizard-3-hosts-phone");
        await page.SetViewportSizeAsync(1440, 900);
        await page.ByTestId("wizard-next").ClickAsync();

        // Network: defaults; review shows the plan preview with kubeadm init on node-a only.
        await Expect(page.ByTestId("wizard-pod-subnet")).ToHaveValueAsync("10.244.0.0/16");
        await Screenshots.SaveAsync(page, "wizard-4-network");
        await page.ByTestId("wizard-next").ClickAsync();
        await Expect(page.ByTestId("plan-preview")).ToBeVisibleAsync();
        await Expect(page.ByTestId("review-warning").First).ToContainTextAsync("single control plane");
        await page.ByTestId("generated-file").First.Locator("summary").ClickAsync();
        await Expect(page.ByTestId("generated-files")).ToContainTextAsync("kubeadm-init.yaml");
        await Screenshots.SaveAsync(page, "wizard-5-review");
        await page.ByTestId("wizard-create").ClickAsync();

        // The run view: the run fails at preflight on node-a, live.
        await page.WaitForURLAsync(new Regex("/runs/\\d+$"));
        var runId = long.Parse(new Uri(page.Url).Segments[^1]);
        await page.EvaluateAsync("() => { window.__kubehaSamePage = true; }");
        await Expect(page.ByTestId("run-status")).ToHaveAttributeAsync("data-status", "failed", new() { Timeout = Ms(RunTimeout) });
        var failed = page.ByTestId("failed-step");
        await Expect(failed).ToHaveAttributeAsync("data-step", "check-preflight");
        await Expect(failed.ByTestId("failed-host")).ToHaveTextAsync("node-a");
        await Expect(failed.ByTestId("failed-error")).ToContainTextAsync("10259");
        await Expect(failed.ByTestId("failed-last-lines")).ToContainTextAsync("preflight: port(s)");
        await Expect(page.Locator("[data-testid=run-step][data-step=connect-hosts]")).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.Locator("[data-testid=host-step][data-host=node-a][data-status=failed]")).ToHaveCountAsync(1);
        var log = page.ByTestId("run-log");
        await Expect(log).ToHaveAttributeAsync("data-contiguous", "true");
        var firstAttempt = int.Parse((await log.GetAttributeAsync("data-line-count"))!);
        Assert.True(firstAttempt > 0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__kubehaSamePage === true"), "The run view reloaded instead of updating live.");
        await Screenshots.SaveAsync(page, "run-failed");

        // Resume with confirmation: the second attempt's output streams into the open page.
        await page.ByTestId("run-resume").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await page.WaitForFunctionAsync(
            "n => Number(document.querySelector('[data-testid=run-log]').getAttribute('data-line-count')) > n",
            firstAttempt, new() { Timeout = Ms(RunTimeout) });
        await Expect(page.ByTestId("run-attempt")).ToHaveAttributeAsync("data-attempt", "2");
        await Expect(page.ByTestId("run-status")).ToHaveAttributeAsync("data-status", "failed", new() { Timeout = Ms(RunTimeout) });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__kubehaSamePage === true"), "The run view reloaded instead of updating live.");

        // Wait until the ledger holds every line (the writer flushes in batches), then compare with what the page shows.
        var ledgerCount = await WaitForLedgerStableAsync(runId);
        await Expect(log).ToHaveAttributeAsync("data-line-count", ledgerCount.ToString());
        await Expect(log).ToHaveAttributeAsync("data-last-seq", ledgerCount.ToString());
        await Expect(log).ToHaveAttributeAsync("data-contiguous", "true");
        var download = await page.APIRequest.GetAsync($"api/v1/runs/{runId}/log.txt");
        Assert.Equal(200, download.Status);
        Assert.Equal(ledgerCount, (await download.TextAsync()).TrimEnd('\n').Split('\n').Length);
        var before = await VisibleLinesAsync(page);

        // Reload: the same lines, none lost, none duplicated.
        await page.ReloadAsync();
        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(log).ToHaveAttributeAsync("data-line-count", ledgerCount.ToString());
        await Expect(log).ToHaveAttributeAsync("data-contiguous", "true");
        Assert.Equal(before, await VisibleLinesAsync(page));

        // A second browser joins with the same view.
        var second = await browser.NewPageAsync(_app);
        await second.GotoReadyAsync($"runs/{runId}");
        await Expect(second.ByTestId("run-log")).ToHaveAttributeAsync("data-line-count", ledgerCount.ToString());
        Assert.Equal(before, await VisibleLinesAsync(second));

        // Filters: node-a's stderr and system lines only; search highlights.
        await page.ByTestId("log-search").FillAsync("preflight");
        await Expect(page.Locator("[data-testid=log-line] mark").First).ToHaveTextAsync("preflight");
        await Screenshots.SaveAsync(page, "run-search");
        await page.ByTestId("log-search").FillAsync("");
        await page.UseDarkThemeAsync();
        await Screenshots.SaveAsync(page, "run-failed-dark");

        // The clusters list: failed, 1 control plane and 2 workers, node-local endpoint, the last run.
        await page.GotoReadyAsync("clusters");
        var row = page.Row("cluster-row-name", "e2e-lab");
        await Expect(row.ByTestId("cluster-status")).ToHaveAttributeAsync("data-status", "Failed");
        await Expect(row.ByTestId("cluster-nodes")).ToContainTextAsync("1 control plane · 2 workers");
        await Expect(row.ByTestId("cluster-endpoint")).ToHaveTextAsync("127.0.0.1:5443");
        await Expect(row.ByTestId("cluster-last-run")).ToHaveTextAsync($"#{runId} create");
        await Screenshots.SaveAsync(page, "clusters");
    }

    private static ILocator HostRow(IPage page, string name) => page.Row("wizard-host-name", name);

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;

    // The first lines rendered, after scrolling the log to the top: "seq host step text".
    private static async Task<string[]> VisibleLinesAsync(IPage page)
    {
        await page.ByTestId("run-log").EvaluateAsync("el => { el.scrollTop = 0; }");
        await Expect(page.Locator("[data-testid=log-line][data-seq='1']")).ToBeVisibleAsync();
        var lines = await page.Locator("[data-testid=log-line]").AllInnerTextsAsync();
        return lines.Take(20).ToArray();
    }

    private async Task<int> WaitForLedgerStableAsync(long runId)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = -1;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            var count = await db.LogLines.CountAsync(l => l.RunId == runId);
            var max = await db.LogLines.Where(l => l.RunId == runId).MaxAsync(l => (long?)l.Seq) ?? 0;
            if (count == last && count == max)
            {
                return count;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The ledger of run {runId} did not settle ({count} lines, last seq {max}).");
            last = count;
            await Task.Delay(300);
        }
    }

    private async Task AddPinnedHostsAsync()
    {
        var credentials = _app.Services.GetRequiredService<CredentialStore>();
        var credential = await credentials.CreateAsync(new CredentialInput { Name = "lab-key", Kind = CredentialKind.PrivateKey, PrivateKey = ssh.Users.Ed25519.PrivateKeyText }, default);
        Assert.True(credential.Succeeded);
        var inventory = _app.Services.GetRequiredService<HostInventory>();
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        foreach (var (name, sshd) in new[] { ("node-a", ssh.Sshd), ("node-b", _extra[0]), ("node-c", _extra[1]) })
        {
            var added = await inventory.AddAsync(new HostInput { Name = name, Address = sshd.Address, Port = sshd.Port, Username = TestUsers.KeyUser, CredentialId = credential.Value }, default);
            Assert.True(added.Succeeded);
            // Pinned as a host check would pin it (trust on first use), without gathering facts: these three hosts are
            // the same machine, whose identical MAC and product_uuid the wizard would rightly refuse.
            await using var db = await factory.CreateDbContextAsync();
            await db.Hosts.Where(h => h.Id == added.Value!.Id).ExecuteUpdateAsync(s => s
                .SetProperty(h => h.HostKeyAlgorithm, "ssh-ed25519")
                .SetProperty(h => h.HostKeyFingerprint, sshd.HostKeyFingerprint)
                .SetProperty(h => h.HostKeyPinnedAt, DateTimeOffset.UtcNow)
                .SetProperty(h => h.CheckStatus, HostCheckStatus.Succeeded));
        }
    }
}
