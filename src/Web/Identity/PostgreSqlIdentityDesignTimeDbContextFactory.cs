using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KubeHa.Web.Identity;

/// <summary>Used by `dotnet ef migrations add --context PostgreSqlIdentityDbContext` only; connects to nothing.</summary>
internal sealed class PostgreSqlIdentityDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlIdentityDbContext>
{
    public PostgreSqlIdentityDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgreSqlIdentityDbContext>()
            .UseKubeHaPostgreSql("Host=localhost;Database=kubeha_design_time", pg => pg.MigrationsHistoryTable(KubeHaIdentityDbContext.MigrationsHistoryTable))
            .Options);
}
