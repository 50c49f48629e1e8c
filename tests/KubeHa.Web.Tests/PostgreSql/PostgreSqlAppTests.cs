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
