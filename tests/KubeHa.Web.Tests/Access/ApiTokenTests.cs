using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using KubeHa.Web.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Access;

[Trait("Category", "Integration")]
public sealed class ApiTokenTests : IDisposable
{
    private const string Bootstrap = "kubeha_bootstrap-value-for-automation-0123456789";

    private readonly KubeHaAppFactory _app = new(null, settings: new Dictionary<string, string?> { ["KubeHa:Bootstrap:ApiToken"] = Bootstrap });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Token_CreateUseRevoke_WorksThenAnswers401()
    {
        var admin = await _app.AdminClientAsync();

        var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "ci" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        var id = body.GetProperty("details").GetProperty("id").GetInt32();
        Assert.StartsWith("kubeha_", token, StringComparison.Ordinal);
        Assert.Equal(50, token.Length);

        var listed = await admin.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiTokenStore.Hash(token), listed, StringComparison.Ordinal);

        using var bearer = TestUsers.BearerClient(_app, token);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/hosts")).StatusCode);
        var firstUse = await LastUsedAsync(id);
        Assert.NotNull(firstUse);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/hosts")).StatusCode);
        Assert.Equal(firstUse, await LastUsedAsync(id)); // written at most once a minute

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        var revoked = await bearer.GetAsync("/api/v1/hosts");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("Bearer", revoked.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_UnknownValue_Answers401EvenWithSignedInCookie()
    {
        var admin = await _app.SignedInClientAsync();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "kubeha_not-a-real-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task Token_ViewerOwner_ReadsButCannotWrite()
    {
        await TestUsers.CreateAsync(_app, "vera", KubeHaRoles.Viewer);
        using var viewer = TestUsers.BearerClient(_app, await TestUsers.TokenAsync(_app, "vera"));

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/credentials")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/credentials", new { name = "x", kind = "password", password = "p" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task BootstrapToken_FromConfiguration_IsAdminStoredHashedAndIdempotent()
    {
        using var bootstrap = TestUsers.BearerClient(_app, Bootstrap);

        Assert.Equal(HttpStatusCode.OK, (await bootstrap.GetAsync("/api/v1/tokens")).StatusCode);

        using (var restarted = new KubeHaAppFactory(_app.DataDirectory, settings: new Dictionary<string, string?> { ["KubeHa:Bootstrap:ApiToken"] = Bootstrap }))
        {
            _ = restarted.Server;
            using var again = TestUsers.BearerClient(restarted, Bootstrap);
            var tokens = await (await again.GetAsync("/api/v1/tokens")).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Single(tokens.EnumerateArray(), t => t.GetProperty("isBootstrap").GetBoolean());
        }

        var database = File.ReadAllText(Path.Combine(_app.DataDirectory, "kubeha.db")) + ReadIfExists(Path.Combine(_app.DataDirectory, "kubeha.db-wal"));
        Assert.DoesNotContain(Bootstrap, database, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OwnerLockedOutByFailedSignIns_StillAuthenticates()
    {
        using var anonymous = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 6; i++)
        {
            await SignIn.PostAsync(anonymous, "admin", $"wrong-{i}");
        }

        var locked = await SignIn.PostAsync(anonymous, "admin", KubeHaAppFactory.AdminPassword);
        Assert.Contains("error=locked", locked.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Lockout guards the sign-in form; it must not let anyone switch off the owner's API tokens.
        using var bootstrap = TestUsers.BearerClient(_app, Bootstrap);
        Assert.Equal(HttpStatusCode.OK, (await bootstrap.GetAsync("/api/v1/tokens")).StatusCode);
        using var created = TestUsers.BearerClient(_app, await TestUsers.TokenAsync(_app, "admin", "after-lockout"));
        Assert.Equal(HttpStatusCode.OK, (await created.GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task BootstrapToken_TooShort_FailsStart()
    {
        using var app = new KubeHaAppFactory(null, settings: new Dictionary<string, string?> { ["KubeHa:Bootstrap:ApiToken"] = "short" });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("at least 32 characters", error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private async Task<DateTimeOffset?> LastUsedAsync(int id)
    {
        using var scope = _app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<ApiTokenStore>().ListAsync(default)).Single(t => t.Id == id).LastUsedAt;
    }

    private static string ReadIfExists(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
