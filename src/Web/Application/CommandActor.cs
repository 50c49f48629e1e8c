using System.Security.Claims;
using KubeHa.Web.Audit;

namespace KubeHa.Web.Application;

/// <summary>Who asks for a cluster action, and how: the principal (for the role check), and what the audit log records.</summary>
/// <param name="User">The signed-in user (cookie, API token or interactive circuit).</param>
/// <param name="Via">"browser" or "token 'name'".</param>
/// <param name="RemoteAddress">The request's remote address; null in an interactive page.</param>
public sealed record CommandActor(ClaimsPrincipal User, string Via, string? RemoteAddress)
{
    public string Name => AuditActor.Name(User);

    /// <summary>The user of a REST request.</summary>
    public static CommandActor From(HttpContext http) =>
        new(http.User, AuditActor.Via(http.User), http.Connection.RemoteIpAddress?.ToString());

    /// <summary>The user of an interactive page (no HTTP request: the circuit's user).</summary>
    public static CommandActor Browser(ClaimsPrincipal user) => new(user, "browser", null);
}
