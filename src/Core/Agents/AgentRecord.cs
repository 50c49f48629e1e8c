namespace KubeHa.Core.Agents;

/// <summary>A process that runs jobs (a standalone agent or Web's embedded worker), as it last reported itself.</summary>
public sealed class AgentRecord
{
    public const int MaxNameLength = 128;

    /// <summary>Unique; also the Hangfire server name and what a run records as its owner (<c>Run.ClaimedBy</c>).</summary>
    public required string Name { get; set; }

    public required string Version { get; set; }

    /// <summary>Host name of the machine (or container) it runs on.</summary>
    public required string Machine { get; set; }

    /// <summary>Zones (Hangfire queues) it serves, comma-separated, most important first.</summary>
    public required string Queues { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }

    /// <summary>Set when it stopped cleanly; null while it runs (or when it died without saying so).</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>Set when its silence raised an agent-offline alert; cleared (raising agent-online) at its next heartbeat.</summary>
    public DateTimeOffset? OfflineAlertedAt { get; set; }
}
