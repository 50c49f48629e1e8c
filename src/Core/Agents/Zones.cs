using System.Text.RegularExpressions;

namespace KubeHa.Core.Agents;

/// <summary>
/// Network zones: a cluster pinned to a zone runs (and has its hosts checked) only on agents serving the Hangfire
/// queue of that name. Unpinned clusters use <see cref="Default"/>.
/// </summary>
public static partial class Zones
{
    public const string Default = "default";

    public const int MaxLength = 32;

    /// <summary>Hangfire's rule for queue names: lower-case letters, digits, '_' and '-'.</summary>
    public static bool IsValid(string? zone) => zone is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(zone);

    public static string QueueOf(string? zone) => string.IsNullOrEmpty(zone) ? Default : zone;

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex Pattern();
}
