namespace KubeHa.Core.Clusters;

/// <summary>Outcome of starting, resuming or cancelling a run.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="RunId">The run concerned (the new one on start).</param>
/// <param name="ActiveRunId">On <see cref="RunCommandOutcome.Conflict"/>: the run that holds the cluster.</param>
/// <param name="Message">An operator-facing sentence when not accepted.</param>
/// <param name="Field">On <see cref="RunCommandOutcome.Invalid"/>: the request field at fault ("hostIds").</param>
/// <param name="Errors">On <see cref="RunCommandOutcome.Invalid"/> of a membership change: every problem, per field and host.</param>
public sealed record RunCommandResult(RunCommandOutcome Outcome, long? RunId = null, long? ActiveRunId = null, string? Message = null, string? Field = null, IReadOnlyList<SpecIssue>? Errors = null)
{
    public bool Accepted => Outcome == RunCommandOutcome.Accepted;
}
