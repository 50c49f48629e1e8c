using Microsoft.Playwright;

namespace KubeHa.E2E.Infrastructure;

/// <summary>
/// One headless Chromium (the system's /usr/bin/chromium, never a downloaded one) shared by a test collection.
/// Each test opens its own context (cookies, storage) with <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long UI actions and expectations wait by default (a check over SSH takes a few seconds).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Browser not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium.");
        }

        // Web-first assertions (Expect) wait 5 s by default, actions 30 s: on a loaded 2-core CI machine a Blazor
        // round trip can take longer than 5 s, so assertions wait as long as actions do.
        Assertions.SetDefaultExpectTimeout((float)DefaultTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// A fresh page in a fresh context, light colour scheme, 1440x900, base URL set to the app, signed in as the
    /// administrator through the sign-in form unless <paramref name="signIn"/> is false.
    /// </summary>
    public async Task<IPage> NewPageAsync(KubeHaApp app, ColorScheme colorScheme = ColorScheme.Light, bool signIn = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout((float)DefaultTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        if (signIn)
        {
            await page.SignInAsync(KubeHaApp.AdminUserName, KubeHaApp.AdminPassword);
        }

        return page;
    }
}
