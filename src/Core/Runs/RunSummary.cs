namespace KubeHa.Core.Runs;

/// <summary>A run as lists show it.</summary>
public sealed record RunSummary(long Id, int ClusterId, string Plan, RunStatus Status, int Attempt, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? ClaimedBy)
{
    /// <summary>Failed, cancelled or interrupted: resuming continues from the first unfinished work.</summary>
    public bool IsResumable => Status is RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted;

    public bool IsActive => Status is RunStatus.Queued or RunStatus.Running;

    public static RunSummary Of(Run run) =>
        new(run.Id, run.ClusterId, run.Plan, run.Status, run.Attempt, run.Error, run.CreatedAt, run.StartedAt, run.FinishedAt, run.ClaimedBy);
}
