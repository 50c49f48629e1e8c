namespace KubeHa.Core.Runs;

/// <summary>One line of output in a run, already masked. Seq orders lines within a run.</summary>
public sealed class LogLine
{
    public long Id { get; set; }

    public long RunId { get; set; }

    public long Seq { get; set; }

    public string? StepKey { get; set; }

    public int? HostId { get; set; }

    public LogStream Stream { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset Time { get; set; }
}
