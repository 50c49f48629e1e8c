using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using KubeHa.Core.Runs;
using KubeHa.Web.Hubs;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Access;

/// <summary>
/// Every endpoint and page of the app (read from its EndpointDataSource, so a new one fails this test until it is
/// listed here with the least role it needs) against anonymous, viewer, operator and admin, by cookie and by token,
/// and the agent key; likewise every method of every hub (/hubs/kubeha, /hubs/agents) through a real SignalR client.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuthorizationMatrixTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    /// <summary>The least access each endpoint needs, by "METHOD /pattern".</summary>
    private static readonly Dictionary<string, Need> Expected = new(StringComparer.Ordinal)
    {
        // Pages
        ["GET /"] = Need.Viewer,
        ["GET /hosts"] = Need.Viewer,
        ["GET /credentials"] = Need.Viewer,
        ["GET /diagnose"] = Need.Viewer,
        ["GET /clusters"] = Need.Viewer,
        ["GET /clusters/new"] = Need.Operator,
        ["GET /clusters/{ClusterId:int}"] = Need.Viewer,
        ["GET /runs"] = Need.Viewer,
        ["GET /runs/{RunId:long}"] = Need.Viewer,
        ["GET /admin/users"] = Need.Admin,
        ["GET /admin/tokens"] = Need.Admin,
        ["GET /admin/audit"] = Need.Admin,
        ["GET /admin/alerts"] = Need.Admin,
        ["GET /agents"] = Need.Operator,
        ["GET /account/login"] = Need.Anonymous,
        ["GET /account/denied"] = Need.Viewer,

        // Account, health, documents, infrastructure
        ["POST /account/login"] = Need.Anonymous,
        ["POST /account/logout"] = Need.Authenticated,
        ["* /healthz"] = Need.Anonymous,
        ["* /error"] = Need.Anonymous, // where failed requests are re-executed; 404 when asked for directly
        ["GET /openapi/{documentName}.json"] = Need.Viewer,
        ["* /hangfire/{**path}"] = Need.Admin,
        ["GET /_framework/opaque-redirect"] = Need.Viewer,
        ["* /_blazor/negotiate"] = Need.Viewer,
        ["* /_blazor"] = Need.Viewer,
        ["* /_blazor/disconnect/"] = Need.Viewer,
        ["* /_blazor/initializers/"] = Need.Viewer,
        // The hubs: users (Viewer and up) connect to /hubs/kubeha, only agents to /hubs/agents (the large message
        // limit); each method also names its own policy (HubMethods below).
        ["* /hubs/kubeha/negotiate"] = Need.Viewer,
        ["* /hubs/kubeha"] = Need.Viewer,
        ["* /hubs/agents/negotiate"] = Need.Agent,
        ["* /hubs/agents"] = Need.Agent,

        // REST API
        ["GET /api/v1/credentials/"] = Need.Viewer,
        ["GET /api/v1/credentials/{id:int}"] = Need.Viewer,
        ["POST /api/v1/credentials/"] = Need.Operator,
        ["DELETE /api/v1/credentials/{id:int}"] = Need.Operator,
        ["GET /api/v1/hosts/"] = Need.Viewer,
        ["GET /api/v1/hosts/{id:int}"] = Need.Viewer,
        ["POST /api/v1/hosts/"] = Need.Operator,
        ["POST /api/v1/hosts/import"] = Need.Operator,
        ["DELETE /api/v1/hosts/{id:int}"] = Need.Operator,
        ["POST /api/v1/hosts/{id:int}/check"] = Need.Operator,
        ["POST /api/v1/hosts/{id:int}/host-key/approve"] = Need.Operator,
        ["GET /api/v1/clusters/"] = Need.Viewer,
        ["GET /api/v1/clusters/{id:int}"] = Need.Viewer,
        ["POST /api/v1/clusters/"] = Need.Operator,
        ["DELETE /api/v1/clusters/{id:int}"] = Need.Operator,
        ["GET /api/v1/clusters/{id:int}/kubeconfig"] = Need.Operator,
        ["GET /api/v1/clusters/{id:int}/nodes"] = Need.Viewer,
        ["GET /api/v1/clusters/{id:int}/load-balancers"] = Need.Viewer,
        ["GET /api/v1/clusters/{id:int}/etcd"] = Need.Viewer,
        ["GET /api/v1/clusters/{id:int}/certificates"] = Need.Viewer,
        ["POST /api/v1/clusters/{id:int}/runs"] = Need.Operator,
        ["POST /api/v1/clusters/{id:int}/members"] = Need.Operator,
        ["DELETE /api/v1/clusters/{id:int}/members/{hostId:int}"] = Need.Operator,
        ["GET /api/v1/runs/"] = Need.Viewer,
        ["GET /api/v1/runs/{id:long}"] = Need.Viewer,
        ["GET /api/v1/runs/{id:long}/findings"] = Need.Viewer,
        ["GET /api/v1/runs/{id:long}/log"] = Need.Viewer,
        ["GET /api/v1/runs/{id:long}/log.txt"] = Need.Viewer,
        ["POST /api/v1/runs/{id:long}/resume"] = Need.Operator,
        ["POST /api/v1/runs/{id:long}/cancel"] = Need.Operator,
        ["GET /api/v1/tokens/"] = Need.Admin,
        ["POST /api/v1/tokens/"] = Need.Admin,
        ["DELETE /api/v1/tokens/{id:int}"] = Need.Admin,
        ["POST /api/v1/diagnose/kubeadm"] = Need.Viewer,
        ["GET /api/v1/agents/"] = Need.Operator,
        ["GET /api/v1/alert-channels/"] = Need.Admin,
        ["GET /api/v1/alert-channels/{id:int}"] = Need.Admin,
        ["POST /api/v1/alert-channels/"] = Need.Admin,
        ["PUT /api/v1/alert-channels/{id:int}"] = Need.Admin,
        ["DELETE /api/v1/alert-channels/{id:int}"] = Need.Admin,
        ["POST /api/v1/alert-channels/{id:int}/test"] = Need.Admin,
        ["GET /api/v1/alert-channels/{id:int}/deliveries"] = Need.Admin,
        ["GET /api/v1/alert-channels/deliveries"] = Need.Admin,
    };

    /// <summary>The least access each method of each hub needs, by "Hub.Method" (a new method or hub fails the tests until listed here).</summary>
    private static readonly Dictionary<string, Need> HubMethods = new(StringComparer.Ordinal)
    {
        [$"{nameof(KubeHaHub)}.{nameof(KubeHaHub.StreamRun)}"] = Need.Viewer,
        [$"{nameof(KubeHaHub)}.{nameof(KubeHaHub.StreamClusterHealth)}"] = Need.Viewer,
        [$"{nameof(AgentHub)}.{nameof(AgentHub.PublishRunEvents)}"] = Need.Agent,
    };

    private static readonly Dictionary<string, string> HubRoutes = new(StringComparer.Ordinal)
    {
        [nameof(KubeHaHub)] = KubeHaHub.Route,
        [nameof(AgentHub)] = AgentHub.Route,
    };

    public enum Need
    {
        Anonymous,

        /// <summary>Any authenticated principal (every principal here holds a role or is the agent).</summary>
        Authenticated,
        Viewer,
        Operator,
        Admin,

        /// <summary>The agent key only: no user role.</summary>
        Agent,
    }

    [Fact]
    public void Endpoints_EveryRoute_IsListedWithItsRole()
    {
        var actual = Routes().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(actual.Except(Expected.Keys).Order()); // a new endpoint: add it to Expected with its least role
        Assert.Empty(Expected.Keys.Except(actual).Order()); // a removed endpoint: drop it from Expected
    }

    [Fact]
    public async Task Endpoints_EachPrincipal_AllowedOrDeniedByRole()
    {
        var failures = new List<string>();
        foreach (var (key, (method, path, isPage)) in Routes().OrderBy(r => r.Key.Contains("/account/logout", StringComparison.Ordinal)))
        {
            var need = Expected[key];
            foreach (var principal in Principal.All)
            {
                using var client = fixture.Client(principal);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var location = response.Headers.Location?.OriginalString ?? "";
                var denied = status is 401 or 403
                             || (status is 302 && (location.Contains("/account/login?ReturnUrl=", StringComparison.Ordinal) || location.Contains("/account/denied", StringComparison.Ordinal)));
                var shouldAllow = Allows(need, principal);
                if (denied == shouldAllow || status >= 500 && status != 501)
                {
                    failures.Add($"{key} as {principal}: {status} {location} (expected {(shouldAllow ? "allowed" : "denied")})");
                }

                if (!shouldAllow && principal.Kind == PrincipalKind.Anonymous && !isPage && path.StartsWith("/api", StringComparison.Ordinal) && status != 401)
                {
                    failures.Add($"{key} as anonymous: {status}, expected 401 (the API never redirects)");
                }

                if (!shouldAllow && principal.Kind != PrincipalKind.Anonymous && path.StartsWith("/api", StringComparison.Ordinal) && status != 403)
                {
                    failures.Add($"{key} as {principal}: {status}, expected 403");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Hub_Anonymous_RefusedAtNegotiateWith401()
    {
        using var client = fixture.Client(new Principal(PrincipalKind.Anonymous, null));
        using var response = await client.PostAsync($"{KubeHaHub.Route}/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        await using var hub = fixture.Hub(new Principal(PrincipalKind.Anonymous, null));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public void HubMethods_EveryMethod_IsListedAndNamesItsPolicy()
    {
        var hubs = typeof(KubeHaHub).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Hub))).ToList();
        Assert.Equal(HubRoutes.Keys.Order(), hubs.Select(h => h.Name).Order());
        var methods = hubs.SelectMany(h => h.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => (Hub: h, Method: m))).ToList();
        Assert.Equal(HubMethods.Keys.Order(), methods.Select(m => $"{m.Hub.Name}.{m.Method.Name}").Order());
        Assert.All(hubs, h => Assert.False(string.IsNullOrEmpty(h.GetCustomAttribute<AuthorizeAttribute>()?.Policy), $"{h.Name} names no connection policy"));
        Assert.All(methods, m => Assert.False(string.IsNullOrEmpty(m.Method.GetCustomAttribute<AuthorizeAttribute>()?.Policy), $"{m.Hub.Name}.{m.Method.Name} names no policy"));
    }

    [Fact]
    public async Task HubMethods_EachPrincipal_AllowedOrDeniedByRole()
    {
        var (clusterId, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var failures = new List<string>();
        var seq = 0L;
        foreach (var principal in Principal.All.Where(p => p.Kind != PrincipalKind.Anonymous))
        {
            foreach (var (hubName, route) in HubRoutes)
            {
                await using var hub = fixture.Hub(principal, route);
                string? refusedAtConnect = null;
                try
                {
                    await hub.StartAsync();
                }
                catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    refusedAtConnect = $"connection refused ({(int)ex.StatusCode!})";
                }

                foreach (var (key, need) in HubMethods.Where(m => m.Key.StartsWith(hubName + ".", StringComparison.Ordinal)))
                {
                    var method = key[(hubName.Length + 1)..];
                    var denial = refusedAtConnect;
                    if (denial is null)
                    {
                        try
                        {
                            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                            switch (method)
                            {
                                case nameof(KubeHaHub.StreamRun):
                                    await FirstAsync(hub.StreamAsync<JsonElement>(method, runId, 0L, cts.Token), cts.Token);
                                    break;
                                case nameof(KubeHaHub.StreamClusterHealth):
                                    await FirstAsync(hub.StreamAsync<JsonElement>(method, clusterId, cts.Token), cts.Token);
                                    break;
                                case nameof(AgentHub.PublishRunEvents):
                                    var line = RunEventDto.From(HubTestData.Line(runId, ++seq));
                                    await hub.InvokeAsync(method, new[] { line }, cts.Token);
                                    break;
                                default:
                                    failures.Add($"{key}: no call written for it in this test");
                                    continue;
                            }
                        }
                        catch (HubException ex)
                        {
                            denial = ex.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase) ? "unauthorized" : ex.Message;
                        }
                    }

                    var shouldAllow = Allows(need, principal);
                    var denied = denial == "unauthorized" || denial == refusedAtConnect && denial is not null;
                    if (shouldAllow && denial is not null)
                    {
                        failures.Add($"{key} as {principal}: refused ({denial}), expected allowed");
                    }
                    else if (!shouldAllow && !denied)
                    {
                        failures.Add($"{key} as {principal}: {denial ?? "allowed"}, expected unauthorized");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task FirstAsync(IAsyncEnumerable<JsonElement> stream, CancellationToken cancellationToken)
    {
        await using var items = stream.GetAsyncEnumerator(cancellationToken);
        Assert.True(await items.MoveNextAsync(), "The stream ended without an item.");
    }

    private static bool Allows(Need need, Principal principal) => need switch
    {
        Need.Anonymous => true,
        Need.Authenticated => principal.Kind != PrincipalKind.Anonymous,
        Need.Viewer => principal.Role is KubeHaRoles.Viewer or KubeHaRoles.Operator or KubeHaRoles.Admin,
        Need.Operator => principal.Role is KubeHaRoles.Operator or KubeHaRoles.Admin,
        Need.Admin => principal.Role is KubeHaRoles.Admin,
        Need.Agent => principal.Kind == PrincipalKind.Agent,
        _ => false,
    };

    /// <summary>Route endpoints except static files, keyed "METHOD /pattern", with a request path to try.</summary>
    private IEnumerable<KeyValuePair<string, (string Method, string Path, bool IsPage)>> Routes()
    {
        var endpoints = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal) || m.GetType().Name == "FallbackMetadata"))
            {
                continue; // static files (fingerprinted assets) and the static-file fallback
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            var isPage = endpoint.Metadata.Any(m => m.GetType().Name == "ComponentTypeMetadata");
            var pattern = endpoint.RoutePattern.RawText!;
            var path = pattern.Replace("{id:int}", "999999", StringComparison.Ordinal).Replace("{id:long}", "999999", StringComparison.Ordinal).Replace("{hostId:int}", "999999", StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal).Replace("{**path}", "", StringComparison.Ordinal);
            if (isPage)
            {
                yield return new($"GET {pattern}", ("GET", path, true)); // pages also accept form posts; GET is the page
                continue;
            }

            var method = methods.FirstOrDefault(m => m != "HEAD") ?? "*";
            yield return new($"{(methods.Count > 1 ? "*" : method)} {pattern}", (method == "*" ? "GET" : method, path, false));
        }
    }
}
