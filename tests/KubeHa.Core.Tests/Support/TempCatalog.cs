using KubeHa.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Core.Tests.Support;

/// <summary>A real SQLite catalog file in a temporary directory, migrated like at start-up.</summary>
public sealed class TempCatalog : IAsyncLifetime
{
    private ServiceProvider? _services;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "kubeha-tests", Guid.NewGuid().ToString("N"));

    public IDbContextFactory<KubeHaDbContext> Factory => _services!.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _services = new ServiceCollection()
            .AddDbContextFactory<KubeHaDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(Directory, "kubeha.db")}"))
            .BuildServiceProvider();
        await using var db = await Factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
