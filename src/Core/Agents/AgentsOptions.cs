using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Agents;

/// <summary>
/// <c>KubeHa:Agents</c>, read by Web and every agent: how often agents report themselves, when one counts as gone, and
/// the key they share with Web (<c>KubeHa__Agents__Token</c>: Web accepts it as a bearer credential with the Agent role,
/// publishing live run events only; an agent sends it to Web's hub; unset, no agent can authenticate).
/// </summary>
public sealed class AgentsOptions
{
    public const string Section = "KubeHa:Agents";

    /// <summary>How often every agent writes its heartbeat.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An agent whose last heartbeat is older than this is offline; on PostgreSQL, another agent then takes over
    /// the runs it was executing. Keep it at least three heartbeat intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(15);

    public const int MinTokenLength = 32;

    [MinLength(MinTokenLength, ErrorMessage = "KubeHa__Agents__Token must be at least 32 characters (e.g. `openssl rand -base64 32`).")]
    public string? Token { get; set; }
}
