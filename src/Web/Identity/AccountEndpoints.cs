using KubeHa.Core.Audit;
using KubeHa.Web.Audit;
using KubeHa.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KubeHa.Web.Identity;

/// <summary>Sign-in and sign-out as plain form posts (cookies cannot be set from an interactive circuit).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");

        account.MapPost("/login", async (
            [FromForm] string? userName,
            [FromForm] string? password,
            [FromForm] string? returnUrl,
            SignInManager<KubeHaUser> signIn,
            AuditLog audit,
            InitialAdminPassword initialPassword,
            HttpContext http) =>
        {
            if (returnUrl is not null && returnUrl.Any(char.IsControl))
            {
                // The sign-in form never sends one; refuse before signing in rather than fail on the redirect after it.
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid return address",
                    detail: "The address to return to after signing in contains control characters. Open the sign-in page again.");
            }

            var back = SafeReturnUrl(returnUrl);
            if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
            {
                return Results.LocalRedirect($"/account/login?error=missing&returnUrl={Uri.EscapeDataString(back)}");
            }

            var name = userName.Trim();
            var result = await signIn.PasswordSignInAsync(name, password, isPersistent: false, lockoutOnFailure: true);
            var remote = http.Connection.RemoteIpAddress?.ToString();
            if (result.Succeeded)
            {
                await audit.RecordAsync(name, AuditActions.SignIn, via: "browser", remoteAddress: remote);
                initialPassword.SignedIn(name);
                return Results.LocalRedirect(back);
            }

            var error = result.IsLockedOut ? "locked" : "invalid";
            await audit.RecordAsync(
                name, AuditActions.SignInFailed, detail: result.IsLockedOut ? "account locked out" : "wrong user name or password",
                succeeded: false, via: "browser", remoteAddress: remote);
            return Results.LocalRedirect($"/account/login?error={error}&returnUrl={Uri.EscapeDataString(back)}");
        }).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).ExcludeFromDescription();

        account.MapPost("/logout", async (SignInManager<KubeHaUser> signIn, AuditLog audit, HttpContext http) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
            {
                await audit.RecordAsync(http, AuditActions.SignOut, target: null);
            }

            // A new security stamp makes every cookie issued so far invalid, including a copy of this one: signing
            // out ends the user's sessions in every browser, not just this one.
            if (await signIn.UserManager.GetUserAsync(http.User) is { } user)
            {
                await signIn.UserManager.UpdateSecurityStampAsync(user);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).RequireAuthorization().ExcludeFromDescription(); // any signed-in user, even one whose role was removed

        return endpoints;
    }

    /// <summary>Only local paths; anything else (an open redirect attempt) goes home.</summary>
    internal static string SafeReturnUrl(string? returnUrl)
        => !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";
}
