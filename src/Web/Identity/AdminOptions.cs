namespace KubeHa.Web.Identity;

/// <summary>The administrator created on first start (KubeHa__Admin__UserName, KubeHa__Admin__Password).</summary>
public sealed class AdminOptions
{
    public const string Section = "KubeHa:Admin";

    public string UserName { get; set; } = "admin";

    /// <summary>Used only when no user exists yet. Empty: a password is generated into the data directory's initial-admin-password file (mode 600).</summary>
    public string? Password { get; set; }
}
