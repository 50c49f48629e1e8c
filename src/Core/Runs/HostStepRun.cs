namespace KubeHa.Core.Runs;

/// <summary>The result of one step on one host.</summary>
public sealed class HostStepRun
{
    public long Id { get; set; }

    public long StepRunId { get; set; }

    public StepRun? StepRun { get; set; }

    public int HostId { get; set; }

    public StepStatus Status { get; set; }

    public int Attempt { get; set; }

    public int? ExitCode { get; set; }

    /// <summary>What went wrong, with the command and the last output lines (secrets masked).</summary>
    public string? Error { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
