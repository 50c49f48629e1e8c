using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Identity;

/// <summary>
/// Users and roles (ASP.NET Core Identity). Lives in Web because Core stays free of ASP.NET Core; shares the
/// catalog's SQLite file, with its own migrations history table.
/// </summary>
public sealed class KubeHaIdentityDbContext(DbContextOptions<KubeHaIdentityDbContext> options)
    : IdentityDbContext<KubeHaUser>(options)
{
    public const string MigrationsHistoryTable = "__EFMigrationsHistory_Identity";
}
