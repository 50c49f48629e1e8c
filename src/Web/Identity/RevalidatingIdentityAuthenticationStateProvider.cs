using System.Security.Claims;
using KubeHa.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Identity;

/// <summary>
/// The user of an open Blazor circuit, checked again every <see cref="SecurityOptions.CircuitRevalidationInterval"/>:
/// when the account was deleted or its security stamp changed (role change, password reset, sign-out), the circuit
/// becomes anonymous, so pages send the user to sign in and handlers guarded by <see cref="CircuitUser"/> refuse.
/// Without it a circuit keeps the principal it was opened with for as long as the browser tab stays open.
/// </summary>
public sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity,
    IOptions<SecurityOptions> security)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => security.Value.CircuitRevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
        => IsCurrentAsync(authenticationState.User, cancellationToken);

    /// <summary>True while the principal's account exists and its security stamp is the one stored now.</summary>
    internal async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KubeHaUser>>();
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return false;
        }

        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp is not null && string.Equals(stamp, await users.GetSecurityStampAsync(user), StringComparison.Ordinal);
    }
}
