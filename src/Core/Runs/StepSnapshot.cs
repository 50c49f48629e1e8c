namespace KubeHa.Core.Runs;

/// <summary>One step of a run with its per-host results.</summary>
public sealed record StepSnapshot(int Ordinal, string Key, string Title, StepStatus Status, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<HostStepSnapshot> Hosts);
