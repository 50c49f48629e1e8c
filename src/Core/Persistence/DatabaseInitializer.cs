using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Persistence;

/// <summary>Creates the data directory and applies checked-in migrations (SQLite or PostgreSQL); called once at start-up.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeKubeHaDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
        Directory.CreateDirectory(options.FullPath);
        var factory = services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);

        // On PostgreSQL several processes (Web, agents) may start at once: one applies the migrations, the others wait
        // and find them applied.
        await db.Database.MigrateSerializedAsync(cancellationToken);

        if (db.Database.IsSqlite())
        {
            // WAL lets the UI read while the agent writes the ledger.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
