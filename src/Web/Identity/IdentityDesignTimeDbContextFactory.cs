using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KubeHa.Web.Identity;

/// <summary>Used by `dotnet ef migrations add --context KubeHaIdentityDbContext` only.</summary>
internal sealed class IdentityDesignTimeDbContextFactory : IDesignTimeDbContextFactory<KubeHaIdentityDbContext>
{
    public KubeHaIdentityDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<KubeHaIdentityDbContext>()
            .UseSqlite("Data Source=design-time.db", s => s.MigrationsHistoryTable(KubeHaIdentityDbContext.MigrationsHistoryTable))
            .Options);
}
