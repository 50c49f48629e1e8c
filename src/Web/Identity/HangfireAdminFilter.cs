using Hangfire.Dashboard;

namespace KubeHa.Web.Identity;

/// <summary>The Hangfire dashboard is for administrators only.</summary>
public sealed class HangfireAdminFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
        => context.GetHttpContext().User.IsInRole(KubeHaRoles.Admin);
}
