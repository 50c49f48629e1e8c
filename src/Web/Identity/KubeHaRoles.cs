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

    /// <summary>
    /// Every role a user can hold (not <see cref="Agent"/>).
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>
    /// A standalone agent process authenticated with the shared agent key (<c>KubeHa:Agents:Token</c>). Outside the
    /// user hierarchy: it grants none of the user policies, and no user role grants the agent policy. Never given to a
    /// user (it is not in <see cref="All"/>).
    /// </summary>
    public const string Agent = "Agent";

    /// <summary>Role list for [Authorize(Roles = ...)] granting operators and admins.</summary>
    public const string OperatorOrAdmin = Operator + "," + Admin;
}
