using KubeHa.Core.Credentials;
using KubeHa.E2E.Infrastructure;
using KubeHa.Testing.Ssh;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Hosts;

/// <summary>
/// An operator imports an Ansible inventory of two real sshd hosts: preview with suggested roles, import with one
/// credential, and both checked; at 1440 px every row keeps its actions in view and no row expands by itself.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
public sealed class ImportHostsTests(BrowserFixture browser, SshdFixture ssh) : IAsyncLifetime
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(60);
    private KubeHaApp _app = null!;
    private SshdHost _extra = null!;

    public async Task InitializeAsync()
    {
        _app = KubeHaApp.Start();
        _extra = await ssh.StartExtraAsync();
    }

    public async Task DisposeAsync()
    {
        await _extra.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Import_AnsibleInventory_PreviewsImportsAndChecksEveryHost()
    {
        var credential = await _app.Services.GetRequiredService<CredentialStore>()
            .CreateAsync(new CredentialInput { Name = "lab-key", Kind = CredentialKind.PrivateKey, PrivateKey = ssh.Users.Ed25519.PrivateKeyText }, default);
        Assert.True(credential.Succeeded);
        var page = await browser.NewPageAsync(_app);
        await page.GotoReadyAsync("hosts");

        await page.ByTestId("import-hosts").ClickAsync();
        await page.Locator("textarea[data-testid=import-text]").FillAsync($"""
            [kube_control_plane]
            node-a ansible_host={ssh.Sshd.Address} ansible_port={ssh.Sshd.Port}
            [kube_node]
            node-b ansible_host={_extra.Address} ansible_port={_extra.Port}
            """);
        await page.ByTestId("import-username").FillAsync(TestUsers.KeyUser);
        await page.ByTestId("import-preview").ClickAsync();
        await Expect(page.ByTestId("import-row")).ToHaveCountAsync(2);
        await Expect(page.ByTestId("import-row").First).ToContainTextAsync("Control plane");
        await Screenshots.SaveAsync(page, "hosts-import");
        await page.ByTestId("import-save").ClickAsync();

        foreach (var name in new[] { "node-a", "node-b" })
        {
            await Expect(page.Row("host-row-name", name).ByTestId("host-status")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = (float)CheckTimeout.TotalMilliseconds });
        }

        Assert.Equal(0, await page.ByTestId("host-details").CountAsync()); // checks do not expand rows
        foreach (var button in await page.ByTestId("delete-host").AllAsync())
        {
            var box = await button.BoundingBoxAsync();
            Assert.True(box is not null && box.X + box.Width <= 1440, $"Delete button at x={box?.X} is off-screen at 1440 px.");
        }

        await Screenshots.SaveAsync(page, "hosts-imported");
    }
}
