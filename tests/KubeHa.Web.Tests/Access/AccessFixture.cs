using System.Net.Http.Headers;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KubeHa.Web.Tests.Access;

/// <summary>
/// One app with a viewer, an operator and the admin, each signed in (cookie) and holding an API token, and a
/// configured agent key (a standalone agent's credential).
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public const string AgentKey = "agent-key-for-the-authorization-matrix-0123456789";

    public KubeHaAppFactory App { get; } = new(null, settings: new Dictionary<string, string?>
    {
        ["KubeHa:Security:SignInAttemptsPerMinute"] = "1000",
        ["KubeHa:Agents:Token"] = AgentKey,
    });

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
            case PrincipalKind.Agent:
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentKey);
                break;
        }

        return client;
    }

    /// <summary>A SignalR client of the hub at <paramref name="route"/> carrying the principal's credential (none for anonymous).</summary>
    public Microsoft.AspNetCore.SignalR.Client.HubConnection Hub(Principal principal, string route = KubeHa.Web.Hubs.KubeHaHub.Route) => principal.Kind switch
    {
        PrincipalKind.Cookie => Hubs.HubTestClient.Build(App, cookie: Cookies[principal.Role!], route: route),
        PrincipalKind.Bearer => Hubs.HubTestClient.Build(App, bearer: Tokens[principal.Role!], route: route),
        PrincipalKind.Agent => Hubs.HubTestClient.Build(App, bearer: AgentKey, route: route),
        _ => Hubs.HubTestClient.Build(App, route: route),
    };

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

    /// <summary>The shared agent key as a bearer credential: role Agent only.</summary>
    Agent,
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
        new(PrincipalKind.Agent, KubeHaRoles.Agent),
    ];

    public override string ToString() => Kind switch
    {
        PrincipalKind.Anonymous => "anonymous",
        PrincipalKind.Agent => "agent (agent key)",
        _ => $"{Role} ({Kind.ToString().ToLowerInvariant()})",
    };
}
