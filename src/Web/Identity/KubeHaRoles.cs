namespace KubeHa.Web.Identity;

/// <summary>Roles, from least to most privileged. Each includes what the previous ones may do.</summary>
public static class KubeHaRoles
{
    /// <summary>Reads everything except secrets.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Manages hosts and clusters, runs plans.</summary>
    public const string Operator = "Operator";

    /// <summary>Users, tokens, settings.</summary>
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>Role list for [Authorize(Roles = ...)] granting operators and admins.</summary>
    public const string OperatorOrAdmin = Operator + "," + Admin;
}
