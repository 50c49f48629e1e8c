using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KubeHa.Core.Persistence;

/// <summary>Used by `dotnet ef migrations add --context PostgreSqlKubeHaDbContext` only; adding a migration connects to nothing.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlKubeHaDbContext>
{
    public PostgreSqlKubeHaDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgreSqlKubeHaDbContext>().UseKubeHaPostgreSql("Host=localhost;Database=kubeha_design_time").Options);
}
