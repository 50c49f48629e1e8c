using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KubeHa.Core.Persistence;

/// <summary>
/// Applying migrations when several processes (Web, agents) start at once on one PostgreSQL database. EF Core's own
/// migration lock lives in each migration's transaction, so it serialises one migration at a time, not the list: with
/// two pending migrations, a second process could start one the first had just applied ("column already exists").
/// A session-level advisory lock held around the whole <c>MigrateAsync</c> makes the others wait and then find
/// nothing pending. SQLite (one process) migrates directly.
/// </summary>
public static class SerializedMigrations
{
    /// <summary>Any fixed key; "KubeHaMG" in ASCII.</summary>
    private const long AdvisoryLockKey = 0x4B75626548614D47;

    public static async Task MigrateSerializedAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (!database.IsNpgsql())
        {
            await database.MigrateAsync(cancellationToken);
            return;
        }

        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                await database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
