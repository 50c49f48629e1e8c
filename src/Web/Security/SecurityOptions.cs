using System.ComponentModel.DataAnnotations;

namespace KubeHa.Web.Security;

/// <summary>KubeHa__Security__*: limits that protect the sign-in form.</summary>
public sealed class SecurityOptions
{
    public const string Section = "KubeHa:Security";

    /// <summary>Sign-in attempts accepted per client IP address per minute.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;
}
