using KubeHa.E2E.Infrastructure;
using KubeHa.Testing.Alerts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Alerts;

/// <summary>
/// An administrator adds a Slack-compatible webhook channel on the Alerts page (first meeting the field errors), sends
/// a test message to a real HTTP receiver, and sees the delivery recorded, without the URL's token ever shown again.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
public sealed class AlertChannelsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Token = "T0E2E/B0E2E/e2eWebhookSecretToken";
    private KubeHaApp _app = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _app = KubeHaApp.Start();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task AddWebhookChannel_TestMessage_DeliveredAndRecorded()
    {
        var page = await browser.NewPageAsync(_app);
        await page.GotoReadyAsync("admin/alerts");
        await page.ByTestId("add-alert-channel").ClickAsync();
        var dialog = page.ByTestId("alert-channel-dialog");
        await page.ByTestId("alert-channel-url").FillAsync("ftp://nowhere");
        await page.ByTestId("alert-channel-save").ClickAsync();
        await Expect(dialog).ToContainTextAsync("Give the alert channel a name.");
        await Expect(dialog).ToContainTextAsync("Enter an absolute http:// or https:// URL");

        await page.ByTestId("alert-channel-name").FillAsync("ops-chat");
        await page.ByTestId("alert-channel-url").FillAsync(_receiver.Url($"/services/{Token}"));
        await page.ByTestId("alert-format-slack").ClickAsync();
        await page.ByTestId("alert-event-run-succeeded").ClickAsync();
        await Screenshots.SaveAsync(page, "alerts-channel-dialog");
        await page.ByTestId("alert-channel-save").ClickAsync();

        // The snackbar comes after the table is re-read: a click before that could land on a row being replaced.
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Alert channel added.");
        var row = page.Row("alert-channel-row-name", "ops-chat");
        await Expect(row.ByTestId("alert-channel-target")).ToHaveTextAsync($"http://127.0.0.1:{_receiver.BaseUrl.Port}/…");
        await row.ByTestId("test-alert-channel").ClickAsync();

        var deliveries = page.ByTestId("alert-deliveries-table");
        await Expect(deliveries).ToContainTextAsync("HTTP 200 OK"); // else the table shows the delivery's error
        await Expect(deliveries.ByTestId("delivery-status-chip").First).ToHaveTextAsync("delivered");
        var request = (await _receiver.WaitForAsync(r => r.Path.EndsWith(Token, StringComparison.Ordinal)))[0];
        Assert.Contains("\"blocks\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("Test message for alert channel ops-chat, sent by admin", request.Body, StringComparison.Ordinal);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("e2eWebhookSecretToken");
        await Screenshots.SaveAsync(page, "alerts-light");
    }
}
