using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KubeHa.Web.Identity;

/// <summary>
/// Users, roles and API tokens. Lives in Web because Core stays free of ASP.NET Core; shares the catalog's database
/// (SQLite file or PostgreSQL), with its own migrations history table.
/// </summary>
public class KubeHaIdentityDbContext : IdentityDbContext<KubeHaUser>
{
    public const string MigrationsHistoryTable = "__EFMigrationsHistory_Identity";

    public KubeHaIdentityDbContext(DbContextOptions<KubeHaIdentityDbContext> options)
        : base(options)
    {
    }

    /// <summary>For <see cref="PostgreSqlIdentityDbContext"/>, which keeps migrations of its own.</summary>
    protected KubeHaIdentityDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>SQLite has no native DateTimeOffset: UTC ticks, as in the catalog.</summary>
    protected virtual bool StoresDateTimeOffsetAsTicks => true;

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

            if (StoresDateTimeOffsetAsTicks)
            {
                e.Property(t => t.CreatedAt).HasConversion<DateTimeOffsetToBinaryConverter>();
                e.Property(t => t.LastUsedAt).HasConversion<DateTimeOffsetToBinaryConverter>();
                e.Property(t => t.RevokedAt).HasConversion<DateTimeOffsetToBinaryConverter>();
            }
        });
    }
}
