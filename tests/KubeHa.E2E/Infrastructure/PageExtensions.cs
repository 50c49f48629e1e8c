using Microsoft.Playwright;

namespace KubeHa.E2E.Infrastructure;

/// <summary>Navigation and lookup helpers that know how KubeHa pages are built.</summary>
public static class PageExtensions
{
    /// <summary>Navigates and waits until the interactive Blazor circuit is up (<c>html[data-circuit=ready]</c>).</summary>
    public static async Task GotoReadyAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>Signs in through the sign-in form and waits for the interactive circuit of the page it leads to.</summary>
    public static async Task SignInAsync(this IPage page, string userName, string password)
    {
        await page.GotoAsync("account/login");
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.ByTestId("login-submit").ClickAsync();
        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>An element by its data-testid.</summary>
    public static ILocator ByTestId(this IPage page, string testId) => page.Locator($"[data-testid='{testId}']");

    /// <summary>An element by data-testid inside a container.</summary>
    public static ILocator ByTestId(this ILocator scope, string testId) => scope.Locator($"[data-testid='{testId}']");

    /// <summary>The table row whose <paramref name="nameTestId"/> cell reads exactly <paramref name="name"/>.</summary>
    public static ILocator Row(this IPage page, string nameTestId, string name)
        => page.Locator("tr").Filter(new() { Has = page.Locator($"[data-testid='{nameTestId}']", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(name)}$") }) });

    /// <summary>Switches the app to the dark theme with the app bar toggle.</summary>
    public static async Task UseDarkThemeAsync(this IPage page)
    {
        const string background = "() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()";
        var light = await page.EvaluateAsync<string>(background);
        await page.ByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync($"() => ({background})() !== {System.Text.Json.JsonSerializer.Serialize(light)}");
    }
}
