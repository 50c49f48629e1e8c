using System.Net.Http.Headers;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KubeHa.Web.Tests.Access;

/// <summary>One app with a viewer, an operator and the admin, each signed in (cookie) and holding an API token.</summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public KubeHaAppFactory App { get; } = new(null, settings: new Dictionary<string, string?> { ["KubeHa:Security:SignInAttemptsPerMinute"] = "1000" });

    public Dictionary<string, string> Cookies { get; } = [];

    public Dictionary<string, string> Tokens { get; } = [];

    public async Task InitializeAsync()
    {
        _ = App.Server;
        await TestUsers.CreateAsync(App, "vera", KubeHaRoles.Viewer);
        await TestUsers.CreateAsync(App, "otto", KubeHaRoles.Operator);
        foreach (var (role, user, password) in new[]
                 {
                     (KubeHaRoles.Viewer, "vera", TestUsers.Password),
                     (KubeHaRoles.Operator, "otto", TestUsers.Password),
                     (KubeHaRoles.Admin, "admin", KubeHaAppFactory.AdminPassword),
                 })
        {
            var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            var signIn = await SignIn.PostAsync(client, user, password, cookieFrom: true);
            Cookies[role] = signIn;
            Tokens[role] = await TestUsers.TokenAsync(App, user, $"{user}-matrix");
        }
    }

    /// <summary>A client that sends the principal's credential on every request and keeps no cookie it receives.</summary>
    public HttpClient Client(Principal principal)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        switch (principal.Kind)
        {
            case PrincipalKind.Cookie:
                client.DefaultRequestHeaders.Add("Cookie", Cookies[principal.Role!]);
                break;
            case PrincipalKind.Bearer:
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[principal.Role!]);
                break;
        }

        return client;
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

public enum PrincipalKind
{
    Anonymous,
    Cookie,
    Bearer,
}

public sealed record Principal(PrincipalKind Kind, string? Role)
{
    public static IReadOnlyList<Principal> All { get; } =
    [
        new(PrincipalKind.Anonymous, null),
        new(PrincipalKind.Cookie, KubeHaRoles.Viewer),
        new(PrincipalKind.Cookie, KubeHaRoles.Operator),
        new(PrincipalKind.Cookie, KubeHaRoles.Admin),
        new(PrincipalKind.Bearer, KubeHaRoles.Viewer),
        new(PrincipalKind.Bearer, KubeHaRoles.Operator),
        new(PrincipalKind.Bearer, KubeHaRoles.Admin),
    ];

    public override string ToString() => Kind == PrincipalKind.Anonymous ? "anonymous" : $"{Role} ({Kind.ToString().ToLowerInvariant()})";
}
