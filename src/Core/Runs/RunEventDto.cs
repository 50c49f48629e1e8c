namespace KubeHa.Core.Runs;

/// <summary>
/// A <see cref="RunEvent"/> as it crosses a process boundary (the SignalR hub <c>/hubs/kubeha</c>): one flat shape,
/// told apart by <see cref="Kind"/>, so any client can read it without type metadata. Sent camelCase with enums as
/// kebab strings. Log text is masked by the run's writer before it is ever published; nothing here adds to it.
/// </summary>
public sealed record RunEventDto
{
    /// <summary>A masked output line: <see cref="Seq"/>, <see cref="Time"/>, <see cref="Step"/>, <see cref="HostId"/>, <see cref="Stream"/>, <see cref="Text"/>.</summary>
    public const string LineKind = "line";

    /// <summary>The run's status changed: <see cref="RunStatus"/>, <see cref="Error"/>.</summary>
    public const string RunKind = "run";

    /// <summary>A step's status changed: <see cref="Ordinal"/>, <see cref="Step"/>, <see cref="StepStatus"/>.</summary>
    public const string StepKind = "step";

    /// <summary>A step on one host changed: <see cref="Step"/>, <see cref="HostId"/>, <see cref="StepStatus"/>, <see cref="Attempt"/>, <see cref="ExitCode"/>, <see cref="Error"/>.</summary>
    public const string HostStepKind = "host-step";

    /// <summary>Only from <c>StreamRun</c>, first: the run with its steps and per-host results (<see cref="Snapshot"/>).</summary>
    public const string SnapshotKind = "snapshot";

    public required string Kind { get; init; }

    public required long RunId { get; init; }

    public long? Seq { get; init; }

    public DateTimeOffset? Time { get; init; }

    /// <summary>Step key ("join-control-planes").</summary>
    public string? Step { get; init; }

    public int? HostId { get; init; }

    /// <summary>Inventory name of <see cref="HostId"/> (filled by Web when it streams; ignored when published).</summary>
    public string? Host { get; init; }

    public LogStream? Stream { get; init; }

    public string? Text { get; init; }

    public RunStatus? RunStatus { get; init; }

    public StepStatus? StepStatus { get; init; }

    public int? Ordinal { get; init; }

    public int? Attempt { get; init; }

    public int? ExitCode { get; init; }

    public string? Error { get; init; }

    public RunSnapshot? Snapshot { get; init; }

    public static RunEventDto From(RunEvent e, string? hostName = null) => e switch
    {
        RunLogEvent l => new() { Kind = LineKind, RunId = l.RunId, Seq = l.Seq, Time = l.Time, Step = l.StepKey, HostId = l.HostId, Host = hostName, Stream = l.Stream, Text = l.Text },
        RunStatusEvent r => new() { Kind = RunKind, RunId = r.RunId, RunStatus = r.Status, Error = r.Error },
        StepStatusEvent s => new() { Kind = StepKind, RunId = s.RunId, Ordinal = s.Ordinal, Step = s.StepKey, StepStatus = s.Status },
        HostStepStatusEvent h => new()
        {
            Kind = HostStepKind, RunId = h.RunId, Step = h.StepKey, HostId = h.HostId, StepStatus = h.Status, Attempt = h.Attempt, ExitCode = h.ExitCode, Error = h.Error,
        },
        RunSnapshotEvent s => new() { Kind = SnapshotKind, RunId = s.RunId, Snapshot = s.Snapshot },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown run event type."),
    };

    public static RunEventDto From(LogLine line, string? hostName) => new()
    {
        Kind = LineKind, RunId = line.RunId, Seq = line.Seq, Time = line.Time, Step = line.StepKey, HostId = line.HostId, Host = hostName, Stream = line.Stream, Text = line.Text,
    };

    /// <summary>The event this describes, or null with <paramref name="problem"/> saying which field is missing or wrong.</summary>
    public RunEvent? ToRunEvent(out string? problem)
    {
        problem = null;
        switch (Kind)
        {
            case LineKind when Seq is > 0 && Stream is { } stream && Text is not null && Time is { } time:
                return new RunLogEvent(RunId, Seq.Value, Step, HostId, stream, Text, time);
            case LineKind:
                problem = "a line needs seq > 0, time, stream and text";
                return null;
            case RunKind when RunStatus is { } status:
                return new RunStatusEvent(RunId, status, Error);
            case RunKind:
                problem = "a run event needs runStatus";
                return null;
            case StepKind when Ordinal is { } ordinal && Step is not null && StepStatus is { } stepStatus:
                return new StepStatusEvent(RunId, ordinal, Step, stepStatus);
            case StepKind:
                problem = "a step event needs ordinal, step and stepStatus";
                return null;
            case HostStepKind when Step is not null && HostId is { } hostId && StepStatus is { } hostStatus && Attempt is { } attempt:
                return new HostStepStatusEvent(RunId, Step, hostId, hostStatus, attempt, ExitCode, Error);
            case HostStepKind:
                problem = "a host-step event needs step, hostId, stepStatus and attempt";
                return null;
            default:
                problem = $"unknown kind (use {LineKind}, {RunKind}, {StepKind} or {HostStepKind})";
                return null;
        }
    }
}
