using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Persistence;

/// <summary>
/// Creates short-lived catalog contexts for the configured store: <see cref="KubeHaDbContext"/> on the SQLite file
/// or <see cref="PostgreSqlKubeHaDbContext"/> on the PostgreSQL server.
/// </summary>
public sealed class KubeHaDbContextFactory : IDbContextFactory<KubeHaDbContext>
{
    private readonly Func<KubeHaDbContext> _create;

    public KubeHaDbContextFactory(IOptions<DatabaseOptions> database, IOptions<DataDirectoryOptions> data)
    {
        var db = database.Value;
        if (db.Provider == DatabaseProvider.PostgreSql)
        {
            var options = new DbContextOptionsBuilder<PostgreSqlKubeHaDbContext>().UseKubeHaPostgreSql(db.ConnectionString!).Options;
            _create = () => new PostgreSqlKubeHaDbContext(options);
        }
        else
        {
            var options = new DbContextOptionsBuilder<KubeHaDbContext>().UseSqlite(SqliteConnectionString(data.Value)).Options;
            _create = () => new KubeHaDbContext(options);
        }
    }

    public KubeHaDbContext CreateDbContext() => _create();

    public static string SqliteConnectionString(DataDirectoryOptions data) => $"Data Source={data.DatabasePath};Default Timeout=30";
}
