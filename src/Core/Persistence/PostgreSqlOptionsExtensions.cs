using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace KubeHa.Core.Persistence;

/// <summary>The one place that configures Npgsql for KubeHa's contexts (catalog and identity).</summary>
public static class PostgreSqlOptionsExtensions
{
    public static DbContextOptionsBuilder<T> UseKubeHaPostgreSql<T>(this DbContextOptionsBuilder<T> builder, string connectionString, Action<NpgsqlDbContextOptionsBuilder>? npgsql = null)
        where T : DbContext
    {
        // No retrying execution strategy: it refuses the ledger's explicit transactions (the CAS claim), and a
        // failed ledger write already ends the run as failed and resumable.
        builder.UseNpgsql(connectionString, o => npgsql?.Invoke(o));
        return builder;
    }
}
