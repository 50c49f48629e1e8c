using System.Security.Claims;
using KubeHa.Core.Audit;
using KubeHa.Web.Application;
using KubeHa.Web.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace KubeHa.Web.Identity;

/// <summary>
/// The user of an interactive page: role checks for its handlers (hidden buttons are not the only guard) and audit
/// records of what they change. Scoped: one per circuit.
/// </summary>
public sealed class CircuitUser(AuthenticationStateProvider authentication, IAuthorizationService authorization, AuditLog audit)
{
    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>The user as <see cref="ClusterCommands"/> takes it (checked and audited there).</summary>
    public async Task<CommandActor> ActorAsync() => CommandActor.Browser(await PrincipalAsync());

    /// <summary>True when the user satisfies the <see cref="KubeHaPolicies"/> policy.</summary>
    public async Task<bool> MayAsync(string policy) => (await authorization.AuthorizeAsync(await PrincipalAsync(), policy)).Succeeded;

    /// <summary>Throws when the user lacks the policy: a handler was reached that the page did not offer them.</summary>
    public async Task DemandAsync(string policy)
    {
        if (!await MayAsync(policy))
        {
            throw new UnauthorizedAccessException($"This action needs the {policy} role.");
        }
    }

    public async Task AuditAsync(string action, string? target, string? detail = null, bool succeeded = true)
        => await audit.RecordAsync(await PrincipalAsync(), action, target, detail, succeeded);
}
