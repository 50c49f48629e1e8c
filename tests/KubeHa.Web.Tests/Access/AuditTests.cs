using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Audit;
using KubeHa.Web.Tests.Infrastructure;
using KubeHa.Web.Tests.Support;

namespace KubeHa.Web.Tests.Access;

[Trait("Category", "Integration")]
public sealed class AuditTests : IDisposable
{
    private const string Password = "Sup3r-S3cret-password-audit";

    private readonly KubeHaAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AuditedActions_ThroughApiAndSignIn_AreRecordedWithActor()
    {
        using (var stranger = _app.CreateClient(new() { AllowAutoRedirect = false }))
        {
            await SignIn.PostAsync(stranger, "admin", "wrong-password");
        }

        var admin = await _app.AdminClientAsync();
        var credential = await (await admin.PostAsJsonAsync("/api/v1/credentials", new { name = "pw", kind = "password", password = Password })).Content.ReadFromJsonAsync<JsonElement>();
        var credentialId = credential.GetProperty("id").GetInt32();
        var host = await admin.PostAsJsonAsync("/api/v1/hosts", new { name = "n1", address = "127.0.0.1", port = 1, username = "root", credentialId });
        Assert.Equal(HttpStatusCode.Created, host.StatusCode);
        var hostId = (await host.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/hosts/{hostId}/check", null)).StatusCode);
        await WaitUntilCheckedAsync(admin, hostId);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/hosts/{hostId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/credentials/{credentialId}")).StatusCode);
        var token = await (await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "ci" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tokens/{token.GetProperty("details").GetProperty("id").GetInt32()}")).StatusCode);

        var entries = await _app.Service<AuditLog>().QueryAsync(new AuditQuery(), default);
        var failed = Assert.Single(entries, e => e.Action == AuditActions.SignInFailed);
        Assert.Equal("admin", failed.Actor);
        Assert.False(failed.Succeeded);
        Assert.Contains(entries, e => e.Action == AuditActions.SignIn && e.Actor == "admin");
        foreach (var action in new[]
                 {
                     AuditActions.CredentialCreated, AuditActions.HostCreated, AuditActions.HostCheckRequested, AuditActions.HostDeleted,
                     AuditActions.CredentialDeleted, AuditActions.TokenCreated, AuditActions.TokenRevoked,
                 })
        {
            var entry = Assert.Single(entries, e => e.Action == action);
            Assert.Equal("admin", entry.Actor);
            Assert.Equal("browser", entry.Via);
        }

        Assert.Contains("host 'n1'", entries.Single(e => e.Action == AuditActions.HostDeleted).Target, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.DoesNotContain(Password, $"{e.Target} {e.Detail}", StringComparison.Ordinal));

        var hostsOnly = await _app.Service<AuditLog>().QueryAsync(new AuditQuery(Action: "host"), default);
        Assert.Equal(3, hostsOnly.Count);
        Assert.Empty(await _app.Service<AuditLog>().QueryAsync(new AuditQuery(Actor: "nobody"), default));
        Assert.Empty(await _app.Service<AuditLog>().QueryAsync(new AuditQuery(From: DateTimeOffset.UtcNow.AddDays(1)), default));
    }

    [Fact]
    public async Task RunsAndKubeconfig_UnknownCluster_NotFoundAndNotAudited()
    {
        var admin = await _app.AdminClientAsync();

        var kubeconfig = await admin.GetAsync("/api/v1/clusters/42/kubeconfig");
        var run = await admin.PostAsJsonAsync("/api/v1/clusters/42/runs", new { plan = "create" });
        var badPlan = await admin.PostAsJsonAsync("/api/v1/clusters/42/runs", new { plan = "destroy" });

        Assert.Equal(HttpStatusCode.NotFound, kubeconfig.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPlan.StatusCode);
        Assert.Contains("\"plan\"", await badPlan.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await _app.Service<AuditLog>().QueryAsync(new AuditQuery(), default), e => e.Action.StartsWith("run", StringComparison.Ordinal) || e.Action == AuditActions.KubeconfigDownloaded);
    }

    private static async Task WaitUntilCheckedAsync(HttpClient client, int hostId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var host = await client.GetFromJsonAsync<JsonElement>($"/api/v1/hosts/{hostId}");
            if (host.GetProperty("checkStatus").GetString() is "failed" or "succeeded")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The host check did not finish.");
    }
}
