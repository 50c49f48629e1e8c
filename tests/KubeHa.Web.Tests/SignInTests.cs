using System.Net;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests;

[Trait("Category", "Integration")]
public sealed class SignInTests : IDisposable
{
    private readonly KubeHaAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Page_Anonymous_RedirectsToSignInWithReturnUrl()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/hosts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/login?ReturnUrl=%2Fhosts", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_Anonymous_Returns401NotARedirect()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/api/v1/diagnose/kubeadm", new StringContent("[preflight] Running pre-flight checks"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_Anonymous_IsHealthy()
    {
        var client = _app.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task SignIn_ConfiguredAdminPassword_ReachesReturnUrlAndPages()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, "/hosts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hosts", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysSignedOut()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await SignIn.PostAsync(client, "admin", "not-the-password");

        Assert.Contains("error=invalid", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var page = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Wrong user name or password.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveFailures_LocksAccountEvenForRightPassword()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 5; i++)
        {
            await SignIn.PostAsync(client, "admin", $"wrong-{i}");
        }

        var response = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword);

        Assert.Contains("error=locked", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_ExternalReturnUrl_GoesHomeInstead()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, "//evil.example/phish");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task HangfireDashboard_ViewerDeniedAdminAllowed()
    {
        using (var scope = _app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KubeHaUser>>();
            var viewer = new KubeHaUser { UserName = "vera" };
            Assert.True((await users.CreateAsync(viewer, "viewer-password-1")).Succeeded);
            Assert.True((await users.AddToRoleAsync(viewer, KubeHaRoles.Viewer)).Succeeded);
        }

        var asViewer = await _app.SignedInClientAsync("vera", "viewer-password-1");
        var asAdmin = await _app.SignedInClientAsync();

        Assert.NotEqual(HttpStatusCode.OK, (await asViewer.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asAdmin.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task FirstStart_NoConfiguredPassword_GeneratesOneIntoAPrivateFileNeverTheLog()
    {
        var data = Directory.CreateTempSubdirectory("kubeha-web-").FullName;
        var file = Path.Combine(data, InitialAdminPassword.FileName);
        string password;
        using (var first = new KubeHaAppFactory(data, adminPassword: null))
        {
            _ = first.Server;
            password = File.ReadAllText(file).Trim();
            Assert.True(password.Length >= 12);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            var line = Assert.Single(first.LogMessages, m => m.Contains("generated password", StringComparison.Ordinal));
            Assert.Contains(file, line, StringComparison.Ordinal);
            Assert.DoesNotContain(first.LogMessages, m => m.Contains(password, StringComparison.Ordinal));
        }

        using var second = new KubeHaAppFactory(data, adminPassword: null);
        _ = second.Server;
        Assert.DoesNotContain(second.LogMessages, m => m.Contains("generated password", StringComparison.Ordinal));
        Assert.Equal(password, File.ReadAllText(file).Trim()); // still there until the administrator signs in

        var client = await second.SignedInClientAsync("admin", password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.False(File.Exists(file), "the file holding the generated password is deleted at the administrator's first sign-in");
        Assert.DoesNotContain(second.LogMessages, m => m.Contains(password, StringComparison.Ordinal));
    }
}
