using Microsoft.AspNetCore.Authorization;

namespace KubeHa.Web.Identity;

/// <summary>
/// Authorisation policies, one per role level. Each level includes the ones below it, so endpoints and pages name
/// the least role they need: <see cref="Viewer"/> reads, <see cref="Operator"/> changes hosts and clusters and runs
/// plans, <see cref="Admin"/> manages users, tokens and settings.
/// </summary>
public static class KubeHaPolicies
{
    public const string Viewer = "viewer";

    public const string Operator = "operator";

    public const string Admin = "admin";

    /// <summary>Standalone agents only (the shared agent key): publishing their runs' live events to Web.</summary>
    public const string Agent = "agent";

    public static AuthorizationBuilder AddKubeHaPolicies(this AuthorizationBuilder builder)
    {
        var viewer = Build(KubeHaRoles.Viewer, KubeHaRoles.Operator, KubeHaRoles.Admin);
        return builder
            .AddPolicy(Viewer, viewer)
            .AddPolicy(Operator, Build(KubeHaRoles.Operator, KubeHaRoles.Admin))
            .AddPolicy(Admin, Build(KubeHaRoles.Admin))
            .AddPolicy(Agent, Build(KubeHaRoles.Agent))
            // Anything not marked otherwise needs a signed-in user with a role: a user without one sees nothing.
            .SetFallbackPolicy(viewer);
    }

    private static AuthorizationPolicy Build(params string[] roles)
        => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(roles).Build();
}
