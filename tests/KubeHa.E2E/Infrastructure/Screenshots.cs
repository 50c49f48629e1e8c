using KubeHa.Testing;
using Microsoft.Playwright;

namespace KubeHa.E2E.Infrastructure;

/// <summary>
/// Saves screenshots for reviewing the UI: to artifacts/screenshots, or to docs/screenshots (the pictures the README
/// shows) when KUBEHA_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the working tree clean.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Environment.GetEnvironmentVariable("KUBEHA_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepositoryPaths.Root, "docs", "screenshots")
        : Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name, bool fullPage = true)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");

        // No pointer hover (tooltips) or transient snackbars in the picture; let transitions settle.
        await page.Mouse.MoveAsync(1, 1);
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        var snackbars = page.Locator(".mud-snackbar");
        for (var count = await snackbars.CountAsync(); count > 0; count = await snackbars.CountAsync())
        {
            await snackbars.First.Locator("button").ClickAsync();
            await page.WaitForFunctionAsync("n => document.querySelectorAll('.mud-snackbar').length < n", count);
        }
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
