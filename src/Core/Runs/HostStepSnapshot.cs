namespace KubeHa.Core.Runs;

/// <summary>One step on one host: status, attempt, exit code and, on failure, the command and last output lines.</summary>
public sealed record HostStepSnapshot(int HostId, StepStatus Status, int Attempt, int? ExitCode, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
