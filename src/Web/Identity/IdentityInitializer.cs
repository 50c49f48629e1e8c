using System.Security.Cryptography;
using KubeHa.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Identity;

/// <summary>Applies the identity migrations, creates the roles and, on first start, the administrator.</summary>
public static partial class IdentityInitializer
{
    public static async Task InitializeKubeHaIdentityAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<KubeHaIdentityDbContext>();
        await db.Database.MigrateSerializedAsync(cancellationToken);

        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in KubeHaRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }

        var users = sp.GetRequiredService<UserManager<KubeHaUser>>();
        if (await users.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var admin = sp.GetRequiredService<IOptions<AdminOptions>>().Value;
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("KubeHa.Identity");
        var generated = string.IsNullOrEmpty(admin.Password);
        var password = generated ? GeneratePassword() : admin.Password!;
        var user = new KubeHaUser { UserName = admin.UserName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Cannot create the administrator '{admin.UserName}': {string.Join(" ", created.Errors.Select(e => e.Description))} " +
                "Set KubeHa__Admin__Password to a password of at least 12 characters.");
        }

        Check(await users.AddToRoleAsync(user, KubeHaRoles.Admin), "grant the Admin role");
        if (generated)
        {
            // Never in the log: a file only KubeHa's user can read, deleted at the administrator's first sign-in.
            var file = sp.GetRequiredService<InitialAdminPassword>();
            file.Write(password);
            LogGeneratedPassword(logger, admin.UserName, file.FilePath);
        }
        else
        {
            LogConfiguredAdmin(logger, admin.UserName);
        }
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return $"{new string(chars, 0, 10)}-{new string(chars, 10, 10)}";
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Identity set-up failed to {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "First start: created administrator '{UserName}' with a generated password, written to {Path} (readable by KubeHa's user only). Sign in with it; the file is deleted at that first sign-in.")]
    private static partial void LogGeneratedPassword(ILogger logger, string userName, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "First start: created administrator '{UserName}' with the password from KubeHa__Admin__Password.")]
    private static partial void LogConfiguredAdmin(ILogger logger, string userName);
}
