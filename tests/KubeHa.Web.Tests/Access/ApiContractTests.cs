using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Web.Tests.Infrastructure;
using KubeHa.Web.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Access;

/// <summary>OpenAPI document, JSON conventions, problem details, secrets never returned, security headers.</summary>
[Trait("Category", "Integration")]
public sealed class ApiContractTests : IDisposable
{
    private const string Passphrase = "Tr0ub4dor&3-passphrase-api";
    private const string Password = "Sup3r-S3cret-password-api";

    private readonly KubeHaAppFactory _app = new();
    private readonly TempDirectory _scratch = new();

    public void Dispose()
    {
        _app.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task OpenApi_Document_ListsEveryApiEndpointWithSchemas()
    {
        var admin = await _app.AdminClientAsync();

        using var document = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal));
        foreach (var endpoint in endpoints)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!, @"\{(\w+):\w+\}", "{$1}").TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is missing from the OpenAPI document");
            }
        }

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { "CredentialResponse", "CreateCredentialRequest", "HostResponse", "CreateHostRequest", "CreateClusterRequest", "ClusterSummary", "RunSnapshot", "StartRunRequest", "CreatedTokenResponse" })
        {
            Assert.True(schemas.TryGetProperty(name, out _), $"schema {name} is missing");
        }

        Assert.Contains("private-key", schemas.GetRawText(), StringComparison.Ordinal); // enums as kebab strings
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task Credentials_CreatedThroughApi_SecretsNeverInAnyResponse()
    {
        var admin = await _app.AdminClientAsync();
        var key = SshKeygen.Generate(_scratch.Path, "ed25519", Passphrase);
        var bodies = new List<string>();

        var keyCreated = await admin.PostAsJsonAsync("/api/v1/credentials", new { name = "key", kind = "private-key", privateKey = key, passphrase = Passphrase });
        var pwCreated = await admin.PostAsJsonAsync("/api/v1/credentials", new { name = "pw", kind = "password", password = Password });
        Assert.Equal(HttpStatusCode.Created, keyCreated.StatusCode);
        Assert.Equal(HttpStatusCode.Created, pwCreated.StatusCode);
        var created = await keyCreated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("private-key", created.GetProperty("kind").GetString());
        Assert.True(created.GetProperty("hasPassphrase").GetBoolean());
        bodies.Add(created.GetRawText());
        bodies.Add(await pwCreated.Content.ReadAsStringAsync());
        var hostResponse = await admin.PostAsJsonAsync("/api/v1/hosts", new { name = "n1", address = "10.0.0.1", username = "root", credentialId = created.GetProperty("id").GetInt32() });
        bodies.Add(await hostResponse.Content.ReadAsStringAsync());
        foreach (var path in new[] { "/api/v1/credentials", $"/api/v1/credentials/{created.GetProperty("id").GetInt32()}", "/api/v1/hosts", "/api/v1/clusters", "/api/v1/tokens", "/openapi/v1.json", "/credentials", "/hosts" })
        {
            bodies.Add(await admin.GetStringAsync(path));
        }

        var keyLine = key.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ElementAt(2);
        foreach (var body in bodies)
        {
            Assert.DoesNotContain(Passphrase, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, body, StringComparison.Ordinal);
            Assert.DoesNotContain(keyLine, body, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateHost_InvalidFields_ProblemDetailsPerCamelCaseField()
    {
        var admin = await _app.AdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/hosts", new { name = "", address = "not an address!", port = 0, username = "", credentialId = 12345 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "address", "port", "username", "credentialId" })
        {
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() == 1, $"no message for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Responses_SecurityHeaders_CspNonceMatchesImportMap()
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"nonce=\"{nonce}\"", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task SignIn_OverPerIpLimit_Answers429()
    {
        using var app = new KubeHaAppFactory(null, settings: new Dictionary<string, string?> { ["KubeHa:Security:SignInAttemptsPerMinute"] = "3" });
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SignIn.PostAsync(client, $"user{i}", "wrong-password")).StatusCode);
        }

        var limited = await SignIn.PostAsync(client, "admin", KubeHaAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
    }
}
