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

    // SQLITE_CONSTRAINT is 19. (PostgreSQL, when it arrives, reports SqlState 23505; add it here, not at the callers.)
    private static bool IsConstraintViolation(DbUpdateException ex)
        => ex.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };
}
