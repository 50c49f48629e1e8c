using System.ComponentModel.DataAnnotations;

namespace KubeHa.Web.Security;

/// <summary>KubeHa__Security__*: limits that protect the sign-in form and signed-in sessions.</summary>
public sealed class SecurityOptions
{
    public const string Section = "KubeHa:Security";

    /// <summary>Sign-in attempts accepted per client IP address per minute.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// How often an open browser tab (Blazor circuit) checks that its user still exists with the same security stamp;
    /// a deleted or demoted user loses access within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan CircuitRevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}
