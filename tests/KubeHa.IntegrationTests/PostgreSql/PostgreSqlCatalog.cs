using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using KubeHa.Testing.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>A fresh database on the shared PostgreSQL server, migrated with the checked-in PostgreSQL migrations.</summary>
internal sealed class PostgreSqlCatalog
{
    private PostgreSqlCatalog(string connectionString, IDbContextFactory<KubeHaDbContext> factory)
    {
        ConnectionString = connectionString;
        Factory = factory;
        Ledger = new RunLedger(factory, new RunEvents(), TimeProvider.System);
    }

    public string ConnectionString { get; }

    public IDbContextFactory<KubeHaDbContext> Factory { get; }

    public RunLedger Ledger { get; }

    public static async Task<PostgreSqlCatalog> CreateAsync(PostgreSqlServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        IDbContextFactory<KubeHaDbContext> factory = new KubeHaDbContextFactory(
            Options.Create(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString }),
            Options.Create(new DataDirectoryOptions()));
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        return new PostgreSqlCatalog(connectionString, factory);
    }

    /// <summary>A cluster of <paramref name="hosts"/> hosts (control planes first, then workers), optionally pinned to a zone.</summary>
    public async Task<int> AddClusterAsync(ClusterSpec spec, (string Name, NodeRole Role)[] roles, string? zone = null)
    {
        await using var db = await Factory.CreateDbContextAsync();
        var cred = new Credential { Name = $"c{Guid.NewGuid():N}", Kind = CredentialKind.Password, ProtectedSecret = "not-used-by-dry-runs" };
        db.Credentials.Add(cred);
        var cluster = new Cluster { Name = $"k{Guid.NewGuid():N}", Spec = spec, Zone = zone, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Clusters.Add(cluster);
        var hosts = new Dictionary<string, ManagedHost>();
        foreach (var (name, role) in roles)
        {
            if (!hosts.TryGetValue(name, out var host))
            {
                host = new ManagedHost { Name = $"{name}-{Guid.NewGuid():N}"[..20], Address = $"10.9.0.{hosts.Count + 1}", Port = 22, Username = "root", Credential = cred, HostKeyFingerprint = "SHA256:test" };
                hosts[name] = host;
                db.Hosts.Add(host);
            }

            cluster.Nodes.Add(new ClusterNode { Host = host, Role = role });
        }

        await db.SaveChangesAsync();
        return cluster.Id;
    }

    public async Task<Run> LoadRunAsync(long runId)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return await db.Runs.AsNoTracking().Include(r => r.Steps).ThenInclude(s => s.Hosts).SingleAsync(r => r.Id == runId);
    }
}
