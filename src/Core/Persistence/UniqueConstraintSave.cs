using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Persistence;

/// <summary>Saving where a unique index decides the race between two writers (two operators creating the same name).</summary>
public static class UniqueConstraintSave
{
    /// <summary>Saves; false when a unique (or other constraint) index refused the row.</summary>
    public static async Task<bool> TrySaveChangesAsync(this KubeHaDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (IsConstraintViolation(ex))
        {
            return false;
        }
    }

    /// <summary>SQLite: SQLITE_CONSTRAINT (19). PostgreSQL: SQLSTATE class 23 (integrity constraint violation: 23505 unique, 23503 foreign key, ...).</summary>
    public static bool IsConstraintViolation(DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } => true,
        Npgsql.PostgresException pg => pg.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };
}
