using KubeHa.Core.Runs;

namespace KubeHa.Web.Live;

/// <summary>One output line of a run as the run view holds it, from the ledger or the live feed (already masked).</summary>
public sealed record RunLogEntry(long Seq, string? StepKey, int? HostId, LogStream Stream, string Text, DateTimeOffset Time)
{
    public static RunLogEntry From(LogLine line) => new(line.Seq, line.StepKey, line.HostId, line.Stream, line.Text, line.Time);

    public static RunLogEntry From(RunLogEvent e) => new(e.Seq, e.StepKey, e.HostId, e.Stream, e.Text, e.Time);
}
