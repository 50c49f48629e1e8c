using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Identity;

/// <summary>
/// Users, roles and API tokens on PostgreSQL: the same model, a type of its own so its migrations
/// (Identity/PostgreSqlMigrations) stay apart from the SQLite ones in this assembly.
/// </summary>
public sealed class PostgreSqlIdentityDbContext(DbContextOptions<PostgreSqlIdentityDbContext> options) : KubeHaIdentityDbContext(options)
{
    protected override bool StoresDateTimeOffsetAsTicks => false;
}
