namespace KubeHa.Core.Agents;

/// <summary>An agent as the Agents page shows it: who, where, alive or not, and what it is executing.</summary>
public sealed record AgentStatus(
    string Name,
    string Version,
    string Machine,
    IReadOnlyList<string> Zones,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    TimeSpan HeartbeatAge,
    bool Online,
    DateTimeOffset? StoppedAt,
    IReadOnlyList<AgentRun> Runs);

/// <summary>A run an agent is executing.</summary>
public sealed record AgentRun(long RunId, int ClusterId, string ClusterName, string Plan, int Attempt);
