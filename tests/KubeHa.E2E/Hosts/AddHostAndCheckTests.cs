using System.Text.RegularExpressions;
using KubeHa.E2E.Infrastructure;
using KubeHa.Testing;
using KubeHa.Testing.Ssh;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Hosts;

/// <summary>
/// An operator adds a credential and a host through the UI, checks the host against a real sshd, and watches the
/// facts and the pinned host key appear without reloading the page.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
public sealed class AddHostAndCheckTests(BrowserFixture browser, SshdFixture ssh) : IAsyncLifetime
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(60);
    private KubeHaApp _app = null!;

    public Task InitializeAsync()
    {
        _app = KubeHaApp.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task CheckHost_AddedThroughUi_ShowsFactsAndPinnedFingerprintLive()
    {
        var key = ssh.Users.EncryptedEd25519;
        var page = await browser.NewPageAsync(_app);

        // Credential: paste the key, type its passphrase.
        await page.GotoReadyAsync("credentials");
        await page.ByTestId("add-credential").ClickAsync();
        await page.ByTestId("credential-name").FillAsync("lab-key");
        await page.ByTestId("credential-private-key").FillAsync(key.PrivateKeyText);
        await page.ByTestId("credential-passphrase").FillAsync(key.Passphrase!);
        await page.ByTestId("credential-save").ClickAsync();
        var credentialRow = page.Row("credential-row-name", "lab-key");
        await Expect(credentialRow.ByTestId("credential-fingerprint")).ToHaveTextAsync(key.Fingerprint);
        await Expect(page.Locator("body")).Not.ToContainTextAsync(key.Passphrase!);
        await Screenshots.SaveAsync(page, "credentials");

        // Host: first the validation messages, then a valid host pointing at the real sshd.
        await page.GotoReadyAsync("hosts");
        await page.ByTestId("add-host").ClickAsync();
        await page.ByTestId("host-address").FillAsync("300.1.1.1");
        await page.ByTestId("host-save").ClickAsync();
        var dialog = page.ByTestId("host-dialog");
        await Expect(dialog).ToContainTextAsync("Give the host a name.");
        await Expect(dialog).ToContainTextAsync("'300.1.1.1' is not a valid IPv4 address");
        await Expect(dialog).ToContainTextAsync("Enter the Linux user to log in as.");

        await page.ByTestId("host-name").FillAsync("node-1");
        await page.ByTestId("host-address").FillAsync(ssh.Sshd.Address);
        await page.ByTestId("host-port").FillAsync(ssh.Sshd.Port.ToString());
        await page.ByTestId("host-username").FillAsync(TestUsers.KeyUser);
        await page.ByTestId("host-save").ClickAsync();
        var row = page.Row("host-row-name", "node-1");
        await Expect(row.ByTestId("host-status")).ToHaveAttributeAsync("data-status", "NeverChecked");

        // Check: runs as a background job; the page learns the outcome from inventory events.
        await row.ByTestId("check-host").ClickAsync();
        await Expect(row.ByTestId("host-status")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = (float)CheckTimeout.TotalMilliseconds });

        var details = page.ByTestId("host-details");
        var hostname = (await ProcessRunner.RunAsync("hostname", [])).StandardOutput.Trim();
        var cpus = (await ProcessRunner.RunAsync("nproc", [])).StandardOutput.Trim();
        await Expect(details.ByTestId("fact-hostname")).ToHaveTextAsync(hostname);
        await Expect(details.ByTestId("fact-cpus")).ToHaveTextAsync(cpus);
        await Expect(row.ByTestId("host-cpus")).ToHaveTextAsync(cpus);
        await Expect(details.ByTestId("host-key-fingerprint")).ToContainTextAsync(ssh.Sshd.HostKeyFingerprint);
        // A private-key credential pins the key at first contact (trust on first use), with the time it was pinned.
        await Expect(details.ByTestId("host-key-pinned")).ToContainTextAsync(new Regex(@"Pinned \d{4}-\d{2}-\d{2} \d{2}:\d{2}\."));
        await Expect(details.ByTestId("host-key-pinned")).ToContainTextAsync("Later connections presenting another key are refused");

        await Screenshots.SaveAsync(page, "hosts-light");
        await page.UseDarkThemeAsync();
        await Screenshots.SaveAsync(page, "hosts-dark");

        // The theme picked is kept across a reload.
        const string background = "() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()";
        var dark = await page.EvaluateAsync<string>(background);
        await page.GotoReadyAsync("hosts");
        await page.WaitForFunctionAsync($"() => ({background})() === {System.Text.Json.JsonSerializer.Serialize(dark)}");
    }
}
