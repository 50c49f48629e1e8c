using KubeHa.Core.Inventory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Identity;

/// <summary>
/// What administrators do with users: create with a role, change the role, reset a password, unlock, delete.
/// Each user has exactly one role. The last administrator can be neither demoted nor deleted.
/// </summary>
public sealed class UserAdministration(UserManager<KubeHaUser> users)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var views = new List<UserView>(all.Count);
        foreach (var user in all)
        {
            views.Add(await ViewAsync(user));
        }

        return views;
    }

    public async Task<EditResult<UserView>> CreateAsync(string? userName, string? role, string? password)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = userName?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors["userName"] = "Enter a user name.";
        }
        else if (await users.FindByNameAsync(name) is not null)
        {
            errors["userName"] = $"A user named '{name}' already exists.";
        }

        if (role is null || !KubeHaRoles.All.Contains(role))
        {
            errors["role"] = "Choose Viewer, Operator or Admin.";
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = "Enter an initial password.";
        }

        if (errors.Count > 0)
        {
            return EditResult<UserView>.Invalid(errors);
        }

        var user = new KubeHaUser { UserName = name };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
        {
            return EditResult<UserView>.Invalid(Describe(created, "password"));
        }

        await users.AddToRoleAsync(user, role!);
        return EditResult<UserView>.Ok(await ViewAsync(user));
    }

    public async Task<EditResult> ChangeRoleAsync(string userId, string role)
    {
        if (!KubeHaRoles.All.Contains(role))
        {
            return EditResult.Invalid(new Dictionary<string, string> { ["role"] = "Choose Viewer, Operator or Admin." });
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return EditResult.Refused("This user no longer exists.");
        }

        var current = await users.GetRolesAsync(user);
        if (current.Contains(KubeHaRoles.Admin) && role != KubeHaRoles.Admin && await IsLastAdminAsync(user))
        {
            return EditResult.Refused($"'{user.UserName}' is the last administrator; make someone else Admin first.");
        }

        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);

        // Signed-in sessions of this user pick up the new role at their next cookie validation.
        await users.UpdateSecurityStampAsync(user);
        return EditResult.Ok();
    }

    public async Task<EditResult> ResetPasswordAsync(string userId, string? newPassword)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return EditResult.Refused("This user no longer exists.");
        }

        if (string.IsNullOrEmpty(newPassword))
        {
            return EditResult.Invalid(new Dictionary<string, string> { ["password"] = "Enter the new password." });
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        return reset.Succeeded ? EditResult.Ok() : EditResult.Invalid(Describe(reset, "password"));
    }

    public async Task<EditResult> UnlockAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return EditResult.Refused("This user no longer exists.");
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return EditResult.Ok();
    }

    public async Task<EditResult> DeleteAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return EditResult.Ok();
        }

        if (await users.IsInRoleAsync(user, KubeHaRoles.Admin) && await IsLastAdminAsync(user))
        {
            return EditResult.Refused($"'{user.UserName}' is the last administrator and cannot be deleted.");
        }

        // Its API tokens go with it (cascade).
        var deleted = await users.DeleteAsync(user);
        return deleted.Succeeded ? EditResult.Ok() : EditResult.Refused(string.Join(" ", deleted.Errors.Select(e => e.Description)));
    }

    private async Task<bool> IsLastAdminAsync(KubeHaUser user)
        => (await users.GetUsersInRoleAsync(KubeHaRoles.Admin)).All(u => u.Id == user.Id);

    private async Task<UserView> ViewAsync(KubeHaUser user)
        => new(user.Id, user.UserName ?? "", (await users.GetRolesAsync(user)).FirstOrDefault(), user.LockoutEnd, user.AccessFailedCount);

    private static Dictionary<string, string> Describe(IdentityResult result, string field)
        => new() { [field] = string.Join(" ", result.Errors.Select(e => e.Description)) };
}
