using System.Net;
using KubeHa.Core.Audit;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Access;

/// <summary>Per-account lockout: five wrong passwords lock the account, even the right one is then refused, an admin unlocks it.</summary>
[Trait("Category", "Integration")]
public sealed class LockoutTests : IDisposable
{
    private const string User = "olga";

    private readonly KubeHaAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksAccountUntilAdminUnlocks()
    {
        await TestUsers.CreateAsync(_app, User, KubeHaRoles.Viewer);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await SignInAsync("wrong-password-" + attempt);
            Assert.Contains("error=invalid", wrong.Location, StringComparison.Ordinal);
            Assert.False(wrong.SignedIn);
        }

        var fifth = await SignInAsync("wrong-password-5");
        Assert.False(fifth.SignedIn);
        var locked = await SignInAsync(TestUsers.Password);
        Assert.Contains("error=locked", locked.Location, StringComparison.Ordinal);
        Assert.False(locked.SignedIn);

        var view = (await Users().ListAsync(default)).Single(u => u.UserName == User);
        Assert.True(view.IsLockedOut);
        var audit = await _app.Service<AuditLog>().QueryAsync(new AuditQuery(), default);
        Assert.Equal(6, audit.Count(e => e.Action == AuditActions.SignInFailed && e.Actor == User));
        Assert.Contains(audit, e => e.Action == AuditActions.SignInFailed && e.Actor == User && e.Detail == "account locked out");

        Assert.True((await Users().UnlockAsync(view.Id)).Succeeded);
        var unlocked = await SignInAsync(TestUsers.Password);
        Assert.True(unlocked.SignedIn, unlocked.Location);
        Assert.Equal("/", unlocked.Location);
    }

    private UserAdministration Users() => _app.Services.CreateScope().ServiceProvider.GetRequiredService<UserAdministration>();

    private async Task<(string Location, bool SignedIn)> SignInAsync(string password)
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await SignIn.PostAsync(client, User, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var signedIn = response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("kubeha.auth", StringComparison.Ordinal));
        return (response.Headers.Location?.ToString() ?? "", signedIn);
    }
}
