using KubeHa.Core.Persistence;
using KubeHa.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Tests.Persistence;

/// <summary>
/// Each of the four migration sets (catalog and users, SQLite and PostgreSQL) matches its model: a model change
/// without `dotnet ef migrations add` for every provider fails here, not at a customer's start-up. Comparing the model
/// with the last migration's snapshot connects to no database.
/// </summary>
public sealed class MigrationsInSyncTests
{
    private const string PostgreSql = "Host=localhost;Database=kubeha_model_check";

    [Fact]
    public void Catalog_Sqlite_HasNoPendingModelChanges()
    {
        using var db = new KubeHaDbContext(new DbContextOptionsBuilder<KubeHaDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "KubeHaDbContext changed without a SQLite migration");
    }

    [Fact]
    public void Catalog_PostgreSql_HasNoPendingModelChanges()
    {
        using var db = new PostgreSqlKubeHaDbContext(new DbContextOptionsBuilder<PostgreSqlKubeHaDbContext>().UseKubeHaPostgreSql(PostgreSql).Options);
        Assert.False(db.Database.HasPendingModelChanges(), "KubeHaDbContext changed without a PostgreSQL migration");
    }

    [Fact]
    public void Users_Sqlite_HasNoPendingModelChanges()
    {
        using var db = new KubeHaIdentityDbContext(new DbContextOptionsBuilder<KubeHaIdentityDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "KubeHaIdentityDbContext changed without a SQLite migration");
    }

    [Fact]
    public void Users_PostgreSql_HasNoPendingModelChanges()
    {
        using var db = new PostgreSqlIdentityDbContext(new DbContextOptionsBuilder<PostgreSqlIdentityDbContext>().UseKubeHaPostgreSql(PostgreSql).Options);
        Assert.False(db.Database.HasPendingModelChanges(), "KubeHaIdentityDbContext changed without a PostgreSQL migration");
    }
}
