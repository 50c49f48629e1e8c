using System.Net;
using KubeHa.Core.Audit;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Security;

/// <summary>
/// Behind a reverse proxy the sign-in limiter and the audit see the client named in X-Forwarded-For, and HTTPS named
/// in X-Forwarded-Proto gives Secure cookies and HSTS, but only when the request comes from a configured proxy;
/// anyone else's forwarded headers are ignored.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ForwardedHeadersTests : IDisposable
{
    private const string Proxy = "10.9.9.9";

    private readonly KubeHaAppFactory _app;

    /// <summary>The address the next request's TCP connection comes from.</summary>
    private IPAddress _connectionFrom = IPAddress.Parse(Proxy);

    public ForwardedHeadersTests()
    {
        _app = new(null, settings: new Dictionary<string, string?>
        {
            ["KubeHa:Security:SignInAttemptsPerMinute"] = "2",
            ["KubeHa:Proxy:KnownProxies:0"] = Proxy,
        })
        {
            ConfigureHost = b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new ConnectionFrom(() => _connectionFrom))),
        };
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task SignInLimit_BehindKnownProxy_CountsEachClientSeparately()
    {
        Assert.Equal(HttpStatusCode.Redirect, await SignInFromAsync("203.0.113.7"));
        Assert.Equal(HttpStatusCode.Redirect, await SignInFromAsync("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFromAsync("203.0.113.7"));

        // Another client behind the same proxy has its own budget.
        Assert.Equal(HttpStatusCode.Redirect, await SignInFromAsync("203.0.113.8"));

        var audit = await _app.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(), default);
        Assert.Contains(audit, e => e.Action == AuditActions.SignInFailed && e.RemoteAddress == "203.0.113.8");
        Assert.DoesNotContain(audit, e => e.RemoteAddress == Proxy);
    }

    [Fact]
    public async Task SignInLimit_ForwardedForFromUnknownAddress_IsIgnored()
    {
        _connectionFrom = IPAddress.Parse("198.51.100.1");

        Assert.Equal(HttpStatusCode.Redirect, await SignInFromAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Redirect, await SignInFromAsync("203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFromAsync("203.0.113.3"));

        var audit = await _app.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(), default);
        Assert.All(audit.Where(e => e.Action == AuditActions.SignInFailed), e => Assert.Equal("198.51.100.1", e.RemoteAddress));
    }

    [Fact]
    public async Task HttpsAtKnownProxy_SecureCookieAndHsts()
    {
        using var response = await SignInAsAdminAsync(forwardedProto: "https");

        Assert.Contains("secure", AuthCookie(response), StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no HSTS header");
        Assert.Contains("max-age=", Assert.Single(hsts), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsClaimedByUnknownAddress_NoSecureCookieNoHsts()
    {
        _connectionFrom = IPAddress.Parse("198.51.100.1");

        using var response = await SignInAsAdminAsync(forwardedProto: "https");

        Assert.DoesNotContain("secure", AuthCookie(response), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("KubeHa:Proxy:KnownProxies:0", "10.0.0.1%eth0")]
    [InlineData("KubeHa:Proxy:KnownProxies:0", "proxy.example")]
    [InlineData("KubeHa:Proxy:KnownNetworks:0", "172.18.0.1/16")]
    [InlineData("KubeHa:Proxy:KnownNetworks:0", "172.18.0.0")]
    public void Start_InvalidProxySetting_FailsNamingIt(string key, string value)
    {
        using var app = new KubeHaAppFactory(null, settings: new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains(value, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_BlankProxySettings_StartsTrustingNobody()
    {
        // docker-compose passes an unset KUBEHA_TRUSTED_PROXY as an empty string.
        using var app = new KubeHaAppFactory(null, settings: new Dictionary<string, string?> { ["KubeHa:Proxy:KnownProxies:0"] = "", ["KubeHa:Proxy:KnownNetworks:0"] = " " });

        Assert.NotNull(app.Server);
        Assert.False(app.Service<Microsoft.Extensions.Options.IOptions<KubeHa.Web.Security.ProxyOptions>>().Value.Enabled);
    }

    private async Task<HttpStatusCode> SignInFromAsync(string client)
    {
        using var http = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        using var response = await SignIn.PostAsync(http, "nobody", "wrong-password");
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SignInAsAdminAsync(string forwardedProto)
    {
        using var http = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://kubeha.example") });
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        var response = await SignIn.PostAsync(http, "admin", KubeHaAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private static string AuthCookie(HttpResponseMessage response)
        => Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kubeha.auth", StringComparison.Ordinal));

    /// <summary>Sets the connection's remote address, as a TCP connection from that address would.</summary>
    private sealed class ConnectionFrom(Func<IPAddress> address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                http.Connection.RemoteIpAddress = address();
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}
