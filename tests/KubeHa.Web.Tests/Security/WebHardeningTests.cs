using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KubeHa.Core.Hosts;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Security;

/// <summary>
/// Requests that used to throw or slip through: a POST that fails inside its endpoint reaches /error (a 500 problem
/// without the exception's text, not 405), a returnUrl with a control character, an unknown charset, and cookie-authenticated state changes
/// from another origin (refused whatever their body).
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebHardeningTests : IDisposable
{
    private const string Secret = "exception-detail-that-must-not-leave-the-server";

    private readonly KubeHaAppFactory _app = new(null, settings: new Dictionary<string, string?> { ["KubeHa:Security:SignInAttemptsPerMinute"] = "1000" })
    {
        // Host checks fail inside the endpoint, as any unexpected fault would.
        ConfigureHost = b => b.ConfigureTestServices(s => s.AddSingleton<IHostCheckScheduler, ThrowingScheduler>()),
    };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task FailingPost_Answers500ProblemWithoutExceptionText()
    {
        var admin = await _app.AdminClientAsync();
        var credential = await (await admin.PostAsJsonAsync("/api/v1/credentials", new { name = "pw", kind = "password", password = "p" })).Content.ReadFromJsonAsync<JsonElement>();
        var host = await (await admin.PostAsJsonAsync("/api/v1/hosts", new { name = "n1", address = "10.0.0.1", username = "root", credentialId = credential.GetProperty("id").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();

        using var response = await admin.PostAsync($"/api/v1/hosts/{host.GetProperty("id").GetInt32()}/check", null);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorEndpoint_AskedForDirectly_NotFound()
    {
        var admin = await _app.AdminClientAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/error")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/error", null)).StatusCode);
    }

    [Theory]
    [InlineData("/hosts\t")]
    [InlineData("/\t/evil.example")]
    [InlineData("/hosts\r\nSet-Cookie: x=y")]
    public async Task SignIn_ReturnUrlWithControlCharacter_Answers400AndDoesNotSignIn(string returnUrl)
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("control characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("kubeha.auth", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("utf-7")]
    [InlineData("x-no-such-charset")]
    [InlineData("utf-32")]
    public async Task Diagnose_UnsupportedCharset_Answers415(string charset)
    {
        var admin = await _app.AdminClientAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("[preflight] Running pre-flight checks"));
        content.Headers.TryAddWithoutValidation("Content-Type", $"text/plain; charset={charset}");

        using var response = await admin.PostAsync("/api/v1/diagnose/kubeadm", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("charset", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("UTF8")]
    [InlineData("iso-8859-1")]
    public async Task Diagnose_SupportedCharset_Answers200(string charset)
    {
        var admin = await _app.AdminClientAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("[preflight] Running pre-flight checks"));
        content.Headers.TryAddWithoutValidation("Content-Type", $"text/plain; charset={charset}");

        using var response = await admin.PostAsync("/api/v1/diagnose/kubeadm", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "http://localhost.evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task CookieStateChange_FromAnotherOrigin_Refused(string header, string value)
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, cookieFrom: true);

        // A POST without a body (sign-out) and a JSON POST (a credential) from a foreign page.
        using var signOut = await SendAsync(client, cookie, HttpMethod.Post, "/account/logout", null, (header, value));
        using var create = await SendAsync(client, cookie, HttpMethod.Post, "/api/v1/credentials", JsonContent.Create(new { name = "csrf", kind = "password", password = "p" }), (header, value));

        Assert.Equal(HttpStatusCode.Forbidden, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using var list = await SendAsync(client, cookie, HttpMethod.Get, "/api/v1/credentials", null);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode); // still signed in
        Assert.DoesNotContain("csrf", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieStateChange_SameOrigin_Allowed()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, cookieFrom: true);

        using var signOut = await SendAsync(client, cookie, HttpMethod.Post, "/account/logout", null, ("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
    }

    [Fact]
    public async Task CookieStateChange_SameOriginFetchWithNullOrigin_Allowed()
    {
        // Chromium's own form post under a strict referrer policy: Origin "null", Sec-Fetch-Site "same-origin".
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, cookieFrom: true);

        using var signOut = await SendAsync(client, cookie, HttpMethod.Post, "/account/logout", null, ("Origin", "null"), ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
    }

    [Fact]
    public async Task CookieStateChange_CrossSiteFetchWithOwnOrigin_Refused()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword, cookieFrom: true);

        using var signOut = await SendAsync(client, cookie, HttpMethod.Post, "/account/logout", null, ("Origin", "http://localhost"), ("Sec-Fetch-Site", "cross-site"));

        Assert.Equal(HttpStatusCode.Forbidden, signOut.StatusCode);
    }

    [Fact]
    public async Task BearerStateChange_AnyOrigin_NotRefusedAsCrossSite()
    {
        var token = await TestUsers.TokenAsync(_app, "admin");
        using var client = TestUsers.BearerClient(_app, token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credentials")
        {
            Content = JsonContent.Create(new { name = "from-ci", kind = "password", password = "p" }),
        };
        request.Headers.Add("Origin", "https://ci.example");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string cookie, HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", cookie);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    private sealed class ThrowingScheduler : IHostCheckScheduler
    {
        public Task ScheduleAsync(IReadOnlyCollection<int> hostIds, CancellationToken cancellationToken)
            => throw new InvalidOperationException(Secret);
    }
}
