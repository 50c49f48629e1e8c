using KubeHa.Core.Persistence;
using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>The default authentication scheme: forwards to the API token handler or the Identity cookie.</summary>
    public const string SelectorScheme = "KubeHa";

    /// <summary>ASP.NET Core Identity on the catalog's SQLite file: hashed passwords, lockout, roles, cookie sign-in.</summary>
    public static IServiceCollection AddKubeHaIdentity(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);

        // The context type follows the store: each provider has its own migrations, bound to its own context type.
        services.AddScoped<KubeHaIdentityDbContext>(sp =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (database.Provider == DatabaseProvider.PostgreSql)
            {
                return new PostgreSqlIdentityDbContext(new DbContextOptionsBuilder<PostgreSqlIdentityDbContext>()
                    .UseKubeHaPostgreSql(database.ConnectionString!, pg => pg.MigrationsHistoryTable(KubeHaIdentityDbContext.MigrationsHistoryTable))
                    .Options);
            }

            var data = sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
            return new KubeHaIdentityDbContext(new DbContextOptionsBuilder<KubeHaIdentityDbContext>()
                .UseSqlite(KubeHaDbContextFactory.SqliteConnectionString(data), sqlite => sqlite.MigrationsHistoryTable(KubeHaIdentityDbContext.MigrationsHistoryTable))
                .Options);
        });

        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ApiTokenStore>();

        // One default scheme that picks the bearer handler when an Authorization: Bearer header is present and the
        // Identity cookie otherwise, so every endpoint and page accepts both without naming schemes.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
                o.DefaultForbidScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie or API token", o => o.ForwardDefaultSelector = ctx =>
                ApiTokenAuthenticationHandler.HasBearer(ctx.Request) ? ApiTokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddIdentityCore<KubeHaUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KubeHaIdentityDbContext>()
            .AddSignInManager();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "kubeha.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over HTTPS (behind a TLS proxy: enable forwarded headers).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);

            // The API answers with status codes; only pages redirect to the sign-in form.
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder().AddKubeHaPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<CircuitUser>();
        services.AddScoped<UserAdministration>();

        // Role changes, password resets and deletions reach signed-in browsers within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        return services;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = apiStatus;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
