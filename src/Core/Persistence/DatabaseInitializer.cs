using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Persistence;

/// <summary>Creates the data directory and applies checked-in migrations; called once at start-up.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeKubeHaDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
        Directory.CreateDirectory(options.FullPath);
        var factory = services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets the UI read while the agent writes the ledger.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
