namespace KubeHa.Core.Runs;

/// <summary>One run in the runs history: cluster, plan, targets, who started it, when, and how it ended.</summary>
/// <param name="Targets">The hosts a reset was limited to, by name; empty: all the cluster's hosts.</param>
/// <param name="StartedBy">The user (or API token's user) who started it; null for runs started before this was recorded.</param>
public sealed record RunHistoryEntry(
    long Id,
    int ClusterId,
    string ClusterName,
    string Plan,
    IReadOnlyList<string> Targets,
    string? StartedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    RunStatus Status,
    int Attempt,
    string? Error);
