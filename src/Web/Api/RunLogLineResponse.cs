using KubeHa.Core.Runs;

namespace KubeHa.Web.Api;

/// <summary>One line of a run's log (already masked), as one NDJSON line.</summary>
public sealed record RunLogLineResponse(long Seq, DateTimeOffset Time, string? Step, int? HostId, string Host, LogStream Stream, string Text);
