using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Persistence;

/// <summary>
/// The catalog on PostgreSQL. The same model as <see cref="KubeHaDbContext"/>; a type of its own only so that EF Core
/// keeps a separate set of migrations for it (Persistence/PostgreSqlMigrations): migrations are bound to the exact
/// context type, so the SQLite and PostgreSQL histories live side by side in this assembly without mixing.
/// </summary>
public sealed class PostgreSqlKubeHaDbContext(DbContextOptions<PostgreSqlKubeHaDbContext> options) : KubeHaDbContext(options)
{
    /// <summary>Native timestamptz: Npgsql stores DateTimeOffset (offset 0, which is all the app writes) as is.</summary>
    protected override bool StoresDateTimeOffsetAsTicks => false;
}
