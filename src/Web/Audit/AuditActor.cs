using System.Security.Claims;
using KubeHa.Core.Audit;
using KubeHa.Web.Tokens;

namespace KubeHa.Web.Audit;

/// <summary>Who is acting, as the audit log records it: the user name, and whether a browser or an API token.</summary>
public static class AuditActor
{
    public static string Name(ClaimsPrincipal user) => user.Identity?.Name ?? "(anonymous)";

    public static string Via(ClaimsPrincipal user)
        => user.FindFirstValue(ApiTokenAuthenticationHandler.TokenNameClaim) is { } token ? $"token '{token}'" : "browser";

    /// <summary>Records an action by the request's user, with the request's remote address.</summary>
    public static Task RecordAsync(
        this AuditLog audit, HttpContext http, string action, string? target, string? detail = null, bool succeeded = true)
        => audit.RecordAsync(
            Name(http.User), action, target, detail, succeeded, Via(http.User),
            http.Connection.RemoteIpAddress?.ToString(), CancellationToken.None);

    /// <summary>Records an action taken in an interactive page (no HTTP request: the circuit's user).</summary>
    public static Task RecordAsync(
        this AuditLog audit, ClaimsPrincipal user, string action, string? target, string? detail = null, bool succeeded = true)
        => audit.RecordAsync(Name(user), action, target, detail, succeeded, "browser", null, CancellationToken.None);
}
