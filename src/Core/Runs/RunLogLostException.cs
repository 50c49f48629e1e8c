namespace KubeHa.Core.Runs;

/// <summary>The run's log writer closed with lines it could not store (the database kept failing past its final flush's bound).</summary>
public sealed class RunLogLostException(long runId, int lines)
    : Exception($"Run {runId}: {lines} log line(s) could not be stored: the database kept failing.")
{
    public long RunId { get; } = runId;

    public int Lines { get; } = lines;
}
