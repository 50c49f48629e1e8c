using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeHa.Core.Persistence;
using KubeHa.Testing.PostgreSql;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.PostgreSql;

/// <summary>The whole app on a real PostgreSQL server: both contexts' migrations, identity, the agent registry, zones.</summary>
[Trait("Category", "Integration")]
public sealed class PostgreSqlAppTests(PostgreSqlServer server) : IClassFixture<PostgreSqlServer>
{
    [Fact]
    public async Task Start_EmptyPostgreSqlDatabase_MigratesBothContextsAndAdminSignsIn()
    {
        var connectionString = await server.CreateDatabaseAsync("web");
        using var app = new KubeHaAppFactory(null, settings: Settings(connectionString, embedded: true, agentName: "web-embedded", zones: ["default", "dmz"]));
        var admin = await app.AdminClientAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var identity = scope.ServiceProvider.GetRequiredService<KubeHaIdentityDbContext>();
            Assert.IsType<PostgreSqlIdentityDbContext>(identity);
            Assert.Empty(await identity.Database.GetPendingMigrationsAsync());
            Assert.Equal(1, await identity.Users.CountAsync());
            await using var catalog = await app.Service<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
            Assert.IsType<PostgreSqlKubeHaDbContext>(catalog);
            Assert.Empty(await catalog.Database.GetPendingMigrationsAsync());
        }

        var agents = await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents");
        var agent = Assert.Single(agents.EnumerateArray());
        Assert.Equal("web-embedded", agent.GetProperty("name").GetString());
        Assert.True(agent.GetProperty("online").GetBoolean());
        Assert.Equal(["default", "dmz"], agent.GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        var page = await admin.GetAsync("/agents");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("web-embedded", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentsPage_RemoteAgentExecutingRun_ShowsItOnlineWithItsRunAndZone()
    {
        var connectionString = await server.CreateDatabaseAsync("web");
        using var app = new KubeHaAppFactory(null, settings: Settings(connectionString, embedded: false, agentName: "unused", zones: []));
        var admin = await app.AdminClientAsync();
        int clusterId;
        await using (var db = await app.Service<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync())
        {
            var cluster = new KubeHa.Core.Clusters.Cluster { Name = "edge-1", Spec = new(), Zone = "dmz", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            db.Clusters.Add(cluster);
            await db.SaveChangesAsync();
            clusterId = cluster.Id;
        }

        var registry = app.Service<KubeHa.Core.Agents.AgentRegistry>();
        await registry.HeartbeatAsync("agent-dmz-7", "9.9.9", "edge-box", ["dmz"], DateTimeOffset.UtcNow, default);
        var ledger = app.Service<KubeHa.Core.Runs.RunLedger>();
        var run = await ledger.CreateRunAsync(clusterId, app.Service<KubeHa.Core.Provisioning.Plans.IPlanCatalog>().Get("create"), null, "admin", default);
        Assert.True(await ledger.TryClaimAsync(run.Id, "agent-dmz-7", 1, default));

        var html = await (await admin.GetAsync("/agents")).Content.ReadAsStringAsync();

        Assert.Contains("agent-dmz-7", html, StringComparison.Ordinal);
        Assert.Contains("online", html, StringComparison.Ordinal);
        Assert.Contains($"run #{run.Id}", html, StringComparison.Ordinal);
        Assert.Contains("edge-1", html, StringComparison.Ordinal);
        Assert.Contains("9.9.9", html, StringComparison.Ordinal);
        Assert.Contains(">dmz<", html.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCluster_InvalidZone_RefusedOnTheZoneField()
    {
        var connectionString = await server.CreateDatabaseAsync("web");
        using var app = new KubeHaAppFactory(null, settings: Settings(connectionString, embedded: false, agentName: "unused", zones: []));
        var admin = await app.AdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/clusters", new { name = "zoned", zone = "Not A Queue!", hosts = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("zone", out _), problem.ToString());
    }

    private static Dictionary<string, string?> Settings(string connectionString, bool embedded, string agentName, string[] zones)
    {
        var settings = new Dictionary<string, string?>
        {
            ["KubeHa:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:KubeHa"] = connectionString,
            ["KubeHa:Agent:Embedded"] = embedded ? "true" : "false",
            ["KubeHa:Agent:Name"] = agentName,
            ["KubeHa:Agent:WorkerCount"] = "2",
        };
        for (var i = 0; i < zones.Length; i++)
        {
            settings[$"KubeHa:Agent:Queues:{i}"] = zones[i];
        }

        return settings;
    }
}
