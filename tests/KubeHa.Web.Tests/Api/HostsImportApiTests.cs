using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Web.Tests.Infrastructure;

namespace KubeHa.Web.Tests.Api;

/// <summary>
/// <c>POST /api/v1/hosts/import</c>: a Kubespray INI inventory previewed (dry run: hosts, suggested roles, nothing
/// saved), imported with one credential and queued for checks, and a second import refused naming the existing hosts.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HostsImportApiTests : IDisposable
{
    private const string Inventory = """
        [all]
        node1 ansible_host=10.77.0.11
        node2 ansible_host=10.77.0.12 ansible_user=root

        [kube_control_plane]
        node1

        [kube_node]
        node2
        """;

    private readonly KubeHaAppFactory _app = new(null, KubeHaAppFactory.AdminPassword, new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Import_PreviewThenImportThenAgain_PreviewsImportsAndRefusesDuplicates()
    {
        var client = await _app.AdminClientAsync();
        using var credentialResponse = await client.PostAsJsonAsync("/api/v1/credentials", new { name = "ops", kind = "password", password = "Sup3r-secret-ssh-password" });
        var credentialId = (await credentialResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var request = new { content = Inventory, credentialId, username = "kubeha", dryRun = true };

        var preview = await PostAsync(client, request, HttpStatusCode.OK);
        Assert.Equal("ansible-ini", preview.GetProperty("format").GetString());
        var rows = preview.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal(["node1 10.77.0.11 kubeha control-plane", "node2 10.77.0.12 root worker"], rows.Select(r =>
            $"{r.GetProperty("name")} {r.GetProperty("address")} {r.GetProperty("username")} {string.Join(",", r.GetProperty("suggestedRoles").EnumerateArray())}"));
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>("/api/v1/hosts") ?? []);

        var imported = await PostAsync(client, request with { dryRun = false }, HttpStatusCode.Created);
        var created = imported.GetProperty("created").EnumerateArray().ToList();
        Assert.Equal(["node1", "node2"], created.Select(h => h.GetProperty("name").GetString()));
        Assert.All(created, h => Assert.Equal("queued", h.GetProperty("checkStatus").GetString()));

        var again = await PostAsync(client, request with { dryRun = false }, HttpStatusCode.BadRequest);
        var errors = again.GetProperty("errors").ToString();
        Assert.Contains("Host 'node1' already has the address 10.77.0.11:22", errors, StringComparison.Ordinal);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement[]>("/api/v1/hosts"))!.Length);
    }

    [Fact]
    public async Task Import_UnreadableInventory_SaysWhatOnContent()
    {
        var client = await _app.AdminClientAsync();

        var answer = await PostAsync(client, new { content = "[all]\nnode[1:3]\n", credentialId = 1 }, HttpStatusCode.BadRequest);

        Assert.Contains("host ranges such as 'node[1:3]'", answer.GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/hosts/import", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
