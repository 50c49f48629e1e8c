using System.Net;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Access;

/// <summary>
/// Demoting, deleting or signing out a user reaches what they already hold: open Blazor circuits (revalidated by
/// security stamp) and copies of their cookie.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SessionRevocationTests : IDisposable
{
    private readonly KubeHaAppFactory _app = new(null, settings: new Dictionary<string, string?>
    {
        ["KubeHa:Security:SignInAttemptsPerMinute"] = "1000",
        ["KubeHa:Security:CircuitRevalidationInterval"] = "00:00:01",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Circuit_UserDemoted_LosesOperatorAccessAtNextRevalidation()
    {
        await TestUsers.CreateAsync(_app, "otto", KubeHaRoles.Operator);
        await using var circuit = _app.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.IsType<RevalidatingIdentityAuthenticationStateProvider>(provider);
        var changed = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(await PrincipalAsync("otto"))));
        provider.AuthenticationStateChanged += async state => changed.TrySetResult(await state);
        var user = circuit.ServiceProvider.GetRequiredService<CircuitUser>();
        Assert.True(await user.MayAsync(KubeHaPolicies.Operator));

        Assert.True((await Administration().ChangeRoleAsync(await IdAsync("otto"), KubeHaRoles.Viewer)).Succeeded);

        var after = await changed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(after.User.Identity?.IsAuthenticated);
        Assert.False(await user.MayAsync(KubeHaPolicies.Operator));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => user.DemandAsync(KubeHaPolicies.Viewer));
    }

    [Fact]
    public async Task Revalidation_StampAndAccount_DecideWhetherCircuitStays()
    {
        await TestUsers.CreateAsync(_app, "otto", KubeHaRoles.Operator);
        await TestUsers.CreateAsync(_app, "dora", KubeHaRoles.Viewer);
        var provider = (RevalidatingIdentityAuthenticationStateProvider)_app.Services.CreateScope().ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var otto = await PrincipalAsync("otto");
        var dora = await PrincipalAsync("dora");

        Assert.True(await provider.IsCurrentAsync(otto, default));
        Assert.True(await provider.IsCurrentAsync(dora, default));

        Assert.True((await Administration().ChangeRoleAsync(await IdAsync("otto"), KubeHaRoles.Viewer)).Succeeded);
        Assert.True((await Administration().DeleteAsync(await IdAsync("dora"))).Succeeded);

        Assert.False(await provider.IsCurrentAsync(otto, default));
        Assert.False(await provider.IsCurrentAsync(dora, default));
        Assert.True(await provider.IsCurrentAsync(await PrincipalAsync("otto"), default)); // signed in again: current
    }

    [Fact]
    public async Task Cookie_UserDemoted_OldCookieRefusedAtNextRequest()
    {
        await TestUsers.CreateAsync(_app, "otto", KubeHaRoles.Operator);
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignIn.PostAsync(client, "otto", TestUsers.Password, cookieFrom: true);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, cookie, "/api/v1/agents")).StatusCode);

        Assert.True((await Administration().ChangeRoleAsync(await IdAsync("otto"), KubeHaRoles.Viewer)).Succeeded);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, cookie, "/api/v1/agents")).StatusCode);
    }

    [Fact]
    public async Task Cookie_AfterSignOut_CopyNoLongerWorks()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, cookieFrom: true);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, cookie, "/api/v1/hosts")).StatusCode);

        using var signOut = await SendAsync(client, cookie, HttpMethod.Post, "/account/logout");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, cookie, "/api/v1/hosts")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await GetAsync(client, cookie, "/hosts")).StatusCode);
    }

    private UserAdministration Administration() => _app.Services.CreateScope().ServiceProvider.GetRequiredService<UserAdministration>();

    private async Task<string> IdAsync(string userName)
    {
        using var scope = _app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<KubeHaUser>>().FindByNameAsync(userName))!.Id;
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        using var scope = _app.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<KubeHaUser>>();
        return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByNameAsync(userName))!);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string cookie, string path)
        => SendAsync(client, cookie, HttpMethod.Get, path);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string cookie, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}
