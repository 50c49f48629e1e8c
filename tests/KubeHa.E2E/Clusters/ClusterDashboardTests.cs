using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.E2E.Infrastructure;
using KubeHa.Testing.LoadBalancing;
using KubeHa.Testing.Ssh;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Clusters;

/// <summary>
/// The cluster dashboard in Chromium over the real circuit: its load-balancer host is the real sshd, whose HAProxy (real,
/// on loopback) balances two "apiservers" (one listening, one not). Killing the live one turns its backend chip DOWN in
/// the open page, without a reload. No Kubernetes API here (the cluster was never provisioned): the page says so.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
public sealed class ClusterDashboardTests(BrowserFixture browser, SshdFixture ssh) : IAsyncLifetime
{
    private readonly TcpListener _apiserver = new(IPAddress.Loopback, 0);
    private HaproxyProcess _haproxy = null!;
    private SshdHost _extra = null!;
    private KubeHaApp _app = null!;

    public async Task InitializeAsync()
    {
        _apiserver.Start();
        _haproxy = await HaproxyProcess.StartAsync(
            [("cp-a", ((IPEndPoint)_apiserver.LocalEndpoint).Port), ("cp-b", HaproxyProcess.FreePort())], maintLast: false, CancellationToken.None);
        _app = KubeHaApp.Start(new Dictionary<string, string?>
        {
            ["KubeHa:Health:StatsSocket"] = _haproxy.StatsSocket,
            ["KubeHa:Health:PollInterval"] = "00:00:00.500",
        });
        _extra = await ssh.StartExtraAsync();
    }

    public async Task DisposeAsync()
    {
        _apiserver.Stop();
        await _app.DisposeAsync();
        await _extra.DisposeAsync();
        await _haproxy.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_ApiserverKilled_BackendChipTurnsDownLive()
    {
        var clusterId = await CreateClusterAsync();
        var page = await browser.NewPageAsync(_app);

        await page.GotoReadyAsync("clusters");
        await page.ByTestId("cluster-link").ClickAsync();
        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
        Assert.EndsWith($"/clusters/{clusterId}", page.Url, StringComparison.Ordinal);
        var live = page.Locator("[data-testid=backend-chip][data-server=cp-a]");
        await Expect(live).ToHaveAttributeAsync("data-state", "Up");
        await Expect(page.Locator("[data-testid=backend-chip][data-server=cp-b]")).ToHaveAttributeAsync("data-state", "Down");
        await Expect(page.ByTestId("api-error")).ToContainTextAsync("No admin kubeconfig");
        await Expect(page.ByTestId("kubeconfig-download")).ToHaveCountAsync(0); // nothing to download yet
        await page.EvaluateAsync("() => { window.__kubehaSamePage = true; }");
        await Screenshots.SaveAsync(page, "cluster-dashboard");

        _apiserver.Stop();

        await Expect(live).ToHaveAttributeAsync("data-state", "Down");
        await Expect(live).ToContainTextAsync("L4CON");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__kubehaSamePage === true"), "The dashboard reloaded instead of updating live.");
    }

    private async Task<int> CreateClusterAsync()
    {
        var credentials = _app.Services.GetRequiredService<CredentialStore>();
        var credential = await credentials.CreateAsync(new CredentialInput { Name = "key", Kind = CredentialKind.PrivateKey, PrivateKey = ssh.Users.Ed25519.PrivateKeyText }, default);
        Assert.True(credential.Succeeded);
        var inventory = _app.Services.GetRequiredService<HostInventory>();
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        var ids = new List<int>();
        foreach (var (name, sshd) in new[] { ("cp-a", _extra), ("lb-a", ssh.Sshd) })
        {
            var added = await inventory.AddAsync(new HostInput { Name = name, Address = sshd.Address, Port = sshd.Port, Username = TestUsers.KeyUser, CredentialId = credential.Value }, default);
            Assert.True(added.Succeeded);
            await using var db = await factory.CreateDbContextAsync();
            await db.Hosts.Where(h => h.Id == added.Value!.Id).ExecuteUpdateAsync(s => s
                .SetProperty(h => h.HostKeyAlgorithm, "ssh-ed25519")
                .SetProperty(h => h.HostKeyFingerprint, sshd.HostKeyFingerprint)
                .SetProperty(h => h.HostKeyPinnedAt, DateTimeOffset.UtcNow)
                .SetProperty(h => h.CheckStatus, HostCheckStatus.Succeeded));
            ids.Add(added.Value!.Id);
        }

        var created = await _app.Services.GetRequiredService<ClusterCatalog>().CreateAsync(new ClusterDraft("dash", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
        [
            new HostRoles(ids[0], new HashSet<NodeRole> { NodeRole.ControlPlane }),
            new HostRoles(ids[1], new HashSet<NodeRole> { NodeRole.LoadBalancer }),
        ]), default);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Message)));
        return created.ClusterId!.Value;
    }
}
