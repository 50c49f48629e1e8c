using KubeHa.Core.Diagnostics;
using KubeHa.Core.Runs;

namespace KubeHa.Web.Live;

/// <summary>
/// A run as one page (circuit) watches it, Aspire-console-logs style: <see cref="RunFollower"/>'s snapshot and the last
/// <see cref="Capacity"/> lines from the ledger, then live, each line once and in order (gaps filled from the ledger).
/// It follows on after the run ended (a resumed run continues on the same page). The buffer keeps at most
/// <see cref="Capacity"/> lines (plus older pages loaded on demand); older lines stay in the ledger. Changes are handed
/// to the page in batches (<see cref="CoalescingRefresher"/>): it calls <see cref="Apply"/> on its render thread.
/// </summary>
public sealed class RunLogFeed : IAsyncDisposable
{
    public const int DefaultCapacity = 100_000;
    public const int OlderPageSize = 5_000;
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);

    private readonly RunFollower _follower;
    private readonly RunReader _reader;
    private readonly Func<Task> _changed;
    private readonly CoalescingRefresher _refresher;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<RunLogEntry> _lines = [];
    private readonly Dictionary<(string Step, int? Host), List<string>> _phases = [];
    private readonly object _gate = new();
    private List<RunLogEntry> _pending = [];
    private RunSnapshot? _pendingSnapshot;
    private int _olderLoaded;
    private int _snapshotDirty;
    private Task _loop = Task.CompletedTask;

    public RunLogFeed(RunFollower follower, RunReader reader, long runId, Func<Task> changed, int capacity = DefaultCapacity)
    {
        _follower = follower;
        _reader = reader;
        _changed = changed;
        RunId = runId;
        Capacity = capacity;
        _refresher = new CoalescingRefresher(NotifyAsync, Coalesce);
    }

    public long RunId { get; }

    public int Capacity { get; }

    /// <summary>Steps and host results as of the last status change; null when the run does not exist.</summary>
    public RunSnapshot? Snapshot { get; private set; }

    /// <summary>The buffered lines, in Seq order. Read and change only on the page's render thread.</summary>
    public IReadOnlyList<RunLogEntry> Lines => _lines;

    /// <summary>True when the ledger has lines before the first buffered one.</summary>
    public bool HasOlder { get; private set; }

    /// <summary>Every buffered line follows its predecessor by exactly one Seq (no loss, no duplicate).</summary>
    public bool IsContiguous { get; private set; } = true;

    /// <summary>kubeadm phases seen per step and host, in order of first appearance (progress of init and joins).</summary>
    public IReadOnlyDictionary<(string Step, int? Host), List<string>> Phases => _phases;

    /// <summary>Reads the snapshot and the last <see cref="Capacity"/> lines, then follows live in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var starting = cancellationToken.Register(_cts.Cancel);
        var events = _follower.FollowAsync(RunId, new RunFollowOptions { LastLines = Capacity, EndWithRun = false }, _cts.Token).GetAsyncEnumerator(_cts.Token);
        if (!await events.MoveNextAsync() || events.Current is not RunSnapshotEvent first)
        {
            await events.DisposeAsync();
            return;
        }

        // The follower yields the ledger's lines through the snapshot's last Seq before anything live.
        var snapshot = first.Snapshot;
        var tail = new List<RunLogEntry>();
        while ((tail.Count > 0 ? tail[^1].Seq : 0) < snapshot.LastSeq && await events.MoveNextAsync() && events.Current is RunLogEvent line)
        {
            tail.Add(RunLogEntry.From(line));
        }

        Append(tail);
        Snapshot = snapshot;
        HasOlder = _lines.Count > 0 && _lines[0].Seq > 1;
        _loop = FollowAsync(events, _cts.Token);
    }

    /// <summary>Moves what arrived since the last call into <see cref="Lines"/>; returns the new lines. Render thread only.</summary>
    public ApplyResult Apply()
    {
        List<RunLogEntry> added;
        lock (_gate)
        {
            added = _pending;
            _pending = [];
            if (_pendingSnapshot is not null)
            {
                Snapshot = _pendingSnapshot;
                _pendingSnapshot = null;
            }
        }

        Append(added);
        var dropped = _lines.Count - (Capacity + _olderLoaded);
        if (dropped > 0)
        {
            _lines.RemoveRange(0, dropped);
            HasOlder = true;
        }

        return new ApplyResult(added, Math.Max(dropped, 0));
    }

    /// <summary>Prepends the previous page of lines from the ledger. Render thread only.</summary>
    public async Task<int> LoadOlderAsync(CancellationToken cancellationToken)
    {
        if (_lines.Count == 0 || _olderLoaded >= Capacity)
        {
            return 0;
        }

        var page = await _reader.ReadBeforeAsync(RunId, _lines[0].Seq, OlderPageSize, cancellationToken);
        _lines.InsertRange(0, page.Select(RunLogEntry.From));
        _olderLoaded += page.Count;
        HasOlder = page.Count > 0 && page[0].Seq > 1;
        return page.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        await _refresher.DisposeAsync();
        _cts.Dispose();
    }

    private void Append(List<RunLogEntry> lines)
    {
        foreach (var line in lines)
        {
            if (_lines.Count > 0 && line.Seq != _lines[^1].Seq + 1)
            {
                IsContiguous = false;
            }

            _lines.Add(line);
            if (line.StepKey is { } step && KubeadmPhaseNames.Of(line.Text) is { } phase)
            {
                if (!_phases.TryGetValue((step, line.HostId), out var seen))
                {
                    _phases[(step, line.HostId)] = seen = [];
                }

                if (!seen.Contains(phase))
                {
                    seen.Add(phase);
                }
            }
        }
    }

    private async Task FollowAsync(IAsyncEnumerator<RunEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            while (await events.MoveNextAsync())
            {
                if (events.Current is RunLogEvent line)
                {
                    lock (_gate)
                    {
                        _pending.Add(RunLogEntry.From(line));
                    }
                }
                else
                {
                    Interlocked.Exchange(ref _snapshotDirty, 1);
                }

                _refresher.Request();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await events.DisposeAsync();
        }
    }

    private async Task NotifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Interlocked.Exchange(ref _snapshotDirty, 0) == 1 && await _reader.GetAsync(RunId, cancellationToken) is { } snapshot)
            {
                lock (_gate)
                {
                    _pendingSnapshot = snapshot;
                }
            }

            await _changed();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What <see cref="Apply"/> changed: lines appended at the end, lines dropped from the start.</summary>
    public readonly record struct ApplyResult(IReadOnlyList<RunLogEntry> Added, int Dropped);
}
