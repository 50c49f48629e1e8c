using System.Collections.Concurrent;

namespace KubeHa.Core.Provisioning;

/// <summary>In-process cancellation of executing runs: cancel takes effect within the current command, not at the next poll.</summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _runs = new();

    public CancellationTokenSource Register(long runId, CancellationToken outer)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _runs[runId] = cts;
        return cts;
    }

    public void Unregister(long runId) => _runs.TryRemove(runId, out _);

    /// <summary>True when the run executes in this process (and is now cancelling).</summary>
    public bool Cancel(long runId)
    {
        if (_runs.TryGetValue(runId, out var cts))
        {
            cts.Cancel();
            return true;
        }

        return false;
    }
}
