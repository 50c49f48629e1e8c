using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Agents;

/// <summary>How often agents report themselves and when one counts as gone (<c>KubeHa:Agents</c>).</summary>
public sealed class AgentHealthOptions
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
}
