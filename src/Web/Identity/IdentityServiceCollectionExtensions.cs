using KubeHa.Core.Agents;
using KubeHa.Core.Persistence;
using KubeHa.Web.Agents;
using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
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
        services.AddSingleton<InitialAdminPassword>();

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
        services.AddSingleton<AgentKey>(); // AgentsOptions (KubeHa:Agents, with the Token) is bound by AddKubeHaCore

        // One default scheme that picks the bearer handler when an Authorization: Bearer header is present and the
        // Identity cookie otherwise, so every endpoint and page accepts both without naming schemes. A bearer value
        // equal to the shared agent key goes to the agent handler (role Agent only) instead of the API token handler.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
                o.DefaultForbidScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie, API token or agent key", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AgentKeyAuthenticationHandler>(AgentKeyAuthenticationHandler.SchemeName, null)
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
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        services.AddScoped<CircuitUser>();
        services.AddScoped<UserAdministration>();

        // Every cookie request checks the account and its security stamp, so a role change, password reset,
        // deletion or sign-out (which changes the stamp) takes effect on the next request, not at the next interval.
        // Open circuits make no requests; RevalidatingIdentityAuthenticationStateProvider checks those.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        return services;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (ApiTokenAuthenticationHandler.ReadBearer(context.Request) is not { } bearer)
        {
            return IdentityConstants.ApplicationScheme;
        }

        return context.RequestServices.GetRequiredService<AgentKey>().Matches(bearer)
            ? AgentKeyAuthenticationHandler.SchemeName
            : ApiTokenAuthenticationHandler.SchemeName;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int apiStatus)
    {
        // The API and the hubs (negotiate included) answer with status codes; only pages redirect.
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
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
