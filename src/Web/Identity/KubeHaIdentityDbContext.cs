using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KubeHa.Web.Identity;

/// <summary>
/// Users, roles and API tokens. Lives in Web because Core stays free of ASP.NET Core; shares the catalog's SQLite
/// file, with its own migrations history table.
/// </summary>
public sealed class KubeHaIdentityDbContext(DbContextOptions<KubeHaIdentityDbContext> options)
    : IdentityDbContext<KubeHaUser>(options)
{
    public const string MigrationsHistoryTable = "__EFMigrationsHistory_Identity";

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApiToken>(e =>
        {
            e.ToTable("ApiTokens");
            e.Property(t => t.Name).HasMaxLength(ApiTokenStore.MaxNameLength);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.Property(t => t.Prefix).HasMaxLength(16);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasOne<KubeHaUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);

            // UTC ticks, as in the catalog: SQLite has no native DateTimeOffset.
            e.Property(t => t.CreatedAt).HasConversion<DateTimeOffsetToBinaryConverter>();
            e.Property(t => t.LastUsedAt).HasConversion<DateTimeOffsetToBinaryConverter>();
            e.Property(t => t.RevokedAt).HasConversion<DateTimeOffsetToBinaryConverter>();
        });
    }
}
