using KubeHa.Core.Runs;

namespace KubeHa.Core.Alerts;

/// <summary>The run an alert is about.</summary>
/// <param name="Id">Run id (the run page is <c>/runs/{id}</c>).</param>
/// <param name="Plan">Plan key: <c>create</c>, <c>add-nodes</c>, <c>reset</c>, ...</param>
/// <param name="Status">How it ended.</param>
/// <param name="Attempt">1, or more after resumes.</param>
/// <param name="Error">Why it failed, as the run ledger recorded it (secrets already masked there).</param>
/// <param name="FailedStep">Title of the step that failed, when one did.</param>
/// <param name="StartedBy">User who started it.</param>
public sealed record AlertRun(long Id, string Plan, RunStatus Status, int Attempt, string? Error, string? FailedStep, string? StartedBy);
