using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KubeHa.Core.Persistence;

/// <summary>Used by `dotnet ef migrations add` only (SQLite catalog).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KubeHaDbContext>
{
    public KubeHaDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<KubeHaDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
