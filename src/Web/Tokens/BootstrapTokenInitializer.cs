using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Tokens;

/// <summary>Makes KubeHa__Bootstrap__ApiToken a valid admin token (stored hashed), so a fresh install can be scripted.</summary>
public static partial class BootstrapTokenInitializer
{
    public static async Task InitializeKubeHaBootstrapTokenAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var token = sp.GetRequiredService<IOptions<BootstrapOptions>>().Value.ApiToken;
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        var users = sp.GetRequiredService<UserManager<KubeHaUser>>();
        var adminName = sp.GetRequiredService<IOptions<AdminOptions>>().Value.UserName;
        var admin = await users.FindByNameAsync(adminName);
        if (admin is null || !await users.IsInRoleAsync(admin, KubeHaRoles.Admin))
        {
            admin = (await users.GetUsersInRoleAsync(KubeHaRoles.Admin)).OrderBy(u => u.UserName, StringComparer.Ordinal).FirstOrDefault()
                ?? throw new InvalidOperationException("KubeHa__Bootstrap__ApiToken is set but no administrator exists to own it.");
        }

        var created = await sp.GetRequiredService<ApiTokenStore>().EnsureBootstrapAsync(token, admin, cancellationToken);
        if (created)
        {
            LogBootstrapTokenStored(sp.GetRequiredService<ILoggerFactory>().CreateLogger("KubeHa.Tokens"), admin.UserName ?? admin.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored the hash of KubeHa__Bootstrap__ApiToken as an API token of '{UserName}'.")]
    private static partial void LogBootstrapTokenStored(ILogger logger, string userName);
}
