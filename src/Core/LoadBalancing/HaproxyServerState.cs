namespace KubeHa.Core.LoadBalancing;

/// <summary>What an operator reads from a server's <c>status</c> column.</summary>
public enum HaproxyServerState
{
    /// <summary>UP, or going down ("UP 1/3": failed a check, still in rotation).</summary>
    Up,

    /// <summary>DOWN, or coming back ("DOWN 1/2": passed a check, not yet in rotation).</summary>
    Down,

    /// <summary>MAINT (put in maintenance, also "MAINT (via ...)"), or DRAIN.</summary>
    Maintenance,

    /// <summary>Anything else ("no check", "NOLB").</summary>
    Other,
}
