using KubeHa.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeHa.E2E.Account;

/// <summary>An operator opens the panel, is sent to the sign-in form, fails once, then signs in and lands where they wanted.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "E2E")]
public sealed class SignInPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private KubeHaApp _app = null!;

    public Task InitializeAsync()
    {
        _app = KubeHaApp.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task OpenHosts_SignedOut_SignInFormThenHostsPage()
    {
        var page = await browser.NewPageAsync(_app, signIn: false);

        await page.GotoAsync("hosts");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?"));
        await page.Locator("#userName").FillAsync(KubeHaApp.AdminUserName);
        await page.Locator("#password").FillAsync("not-the-password");
        await page.ByTestId("login-submit").ClickAsync();
        await Expect(page.ByTestId("login-error")).ToHaveTextAsync("Wrong user name or password.");
        await Screenshots.SaveAsync(page, "sign-in");

        await page.Locator("#userName").FillAsync(KubeHaApp.AdminUserName);
        await page.Locator("#password").FillAsync(KubeHaApp.AdminPassword);
        await page.ByTestId("login-submit").ClickAsync();

        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/hosts$"));
        await Expect(page.ByTestId("signed-in-user")).ToHaveTextAsync(KubeHaApp.AdminUserName);
        await Expect(page.ByTestId("add-host")).ToBeVisibleAsync();
    }
}
