namespace KubeHa.Core.Runs;

/// <summary>Something that happened in a run, published live after it was recorded (log lines: as they are queued).</summary>
public abstract record RunEvent(long RunId);

/// <summary>A masked output line; Seq orders it with the persisted lines.</summary>
public sealed record RunLogEvent(long RunId, long Seq, string? StepKey, int? HostId, LogStream Stream, string Text, DateTimeOffset Time) : RunEvent(RunId);

public sealed record RunStatusEvent(long RunId, RunStatus Status, string? Error) : RunEvent(RunId);

public sealed record StepStatusEvent(long RunId, int Ordinal, string StepKey, StepStatus Status) : RunEvent(RunId);

public sealed record HostStepStatusEvent(long RunId, string StepKey, int HostId, StepStatus Status, int Attempt, int? ExitCode, string? Error) : RunEvent(RunId);

/// <summary>Only from <see cref="RunFollower"/>, first: the run as the ledger held it when the follower started.</summary>
public sealed record RunSnapshotEvent(RunSnapshot Snapshot) : RunEvent(Snapshot.Run.Id);
