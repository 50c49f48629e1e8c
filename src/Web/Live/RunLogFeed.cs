using KubeHa.Core.Diagnostics;
using KubeHa.Core.Runs;

namespace KubeHa.Web.Live;

/// <summary>
/// A run as one page (circuit) watches it, Aspire-console-logs style: the snapshot and the last lines from the ledger,
/// then the live feed. The subscription is opened before the snapshot is read and live lines whose Seq is already held
/// are dropped, so a reload or a second browser neither loses nor duplicates lines (a line is published only once it is
/// persisted, so a held Seq is the ledger's line, even after another agent took the run over); a gap in the live feed
/// (lines dropped by a full channel or by an agent's relay) is filled from the ledger.
/// The buffer keeps at most <see cref="Capacity"/> lines (plus older pages loaded on demand); older lines stay in the
/// ledger. Changes are handed to the page in batches: it calls <see cref="Apply"/> on its render thread.
/// </summary>
public sealed class RunLogFeed : IAsyncDisposable
{
    public const int DefaultCapacity = 100_000;
    public const int OlderPageSize = 5_000;
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GapPoll = TimeSpan.FromMilliseconds(100);
    private const int GapPolls = 50;

    private readonly RunReader _reader;
    private readonly RunEvents _events;
    private readonly Func<Task> _changed;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<RunLogEntry> _lines = [];
    private readonly Dictionary<(string Step, int? Host), List<string>> _phases = [];
    private readonly object _gate = new();
    private List<RunLogEntry> _pending = [];
    private RunSnapshot? _pendingSnapshot;
    private long _received;
    private int _olderLoaded;
    private int _notifyScheduled;
    private int _snapshotDirty;
    private Task _loop = Task.CompletedTask;

    public RunLogFeed(RunReader reader, RunEvents events, long runId, Func<Task> changed, int capacity = DefaultCapacity)
    {
        _reader = reader;
        _events = events;
        _changed = changed;
        RunId = runId;
        Capacity = capacity;
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

    /// <summary>Subscribes, then reads the snapshot and the last <see cref="Capacity"/> lines, then follows live.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var enumerator = _events.SubscribeAsync(RunId, _cts.Token).GetAsyncEnumerator(_cts.Token);
        // The iterator registers its channel synchronously, before its first await: from here on nothing is missed.
        var first = enumerator.MoveNextAsync();
        Snapshot = await _reader.GetAsync(RunId, cancellationToken);
        if (Snapshot is null)
        {
            await _cts.CancelAsync();
            await DisposeQuietlyAsync(enumerator, first);
            return;
        }

        var tail = new List<RunLogEntry>();
        var before = Snapshot.LastSeq + 1;
        while (tail.Count < Capacity)
        {
            var page = await _reader.ReadBeforeAsync(RunId, before, Math.Min(RunReader.MaxPage, Capacity - tail.Count), cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            tail.InsertRange(0, page.Select(RunLogEntry.From));
            before = page[0].Seq;
        }

        Append(tail);
        _received = Snapshot.LastSeq;
        HasOlder = _lines.Count > 0 && _lines[0].Seq > 1;
        _loop = FollowAsync(enumerator, first, _cts.Token);
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

    private async Task FollowAsync(IAsyncEnumerator<RunEvent> events, ValueTask<bool> first, CancellationToken cancellationToken)
    {
        try
        {
            var next = first;
            while (await next)
            {
                switch (events.Current)
                {
                    case RunLogEvent line:
                        await AcceptAsync(line, cancellationToken);
                        break;
                    default:
                        Interlocked.Exchange(ref _snapshotDirty, 1);
                        break;
                }

                ScheduleNotify(cancellationToken);
                next = events.MoveNextAsync();
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

    private async Task AcceptAsync(RunLogEvent e, CancellationToken cancellationToken)
    {
        if (e.Seq <= _received)
        {
            return;
        }

        if (e.Seq > _received + 1)
        {
            await FillGapAsync(e.Seq - 1, cancellationToken);
        }

        Enqueue(RunLogEntry.From(e));
    }

    // Missed lines are normally in the ledger already (published after persisting); poll briefly in case they are not.
    private async Task FillGapAsync(long through, CancellationToken cancellationToken)
    {
        for (var poll = 0; _received < through; poll++)
        {
            var page = await _reader.ReadAfterAsync(RunId, _received, (int)Math.Min(through - _received, RunReader.MaxPage), cancellationToken);
            foreach (var line in page.Where(l => l.Seq <= through))
            {
                Enqueue(RunLogEntry.From(line));
            }

            if (_received >= through)
            {
                return;
            }

            if (page.Count == 0)
            {
                if (poll >= GapPolls)
                {
                    Enqueue(new RunLogEntry(through, null, null, LogStream.System, $"… {through - _received} line(s) not available in the ledger", DateTimeOffset.UtcNow));
                    return;
                }

                await Task.Delay(GapPoll, cancellationToken);
            }
        }
    }

    private void Enqueue(RunLogEntry line)
    {
        lock (_gate)
        {
            _pending.Add(line);
        }

        _received = line.Seq;
    }

    private void ScheduleNotify(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _notifyScheduled, 1) == 0)
        {
            _ = NotifySoonAsync(cancellationToken);
        }
    }

    private async Task NotifySoonAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Coalesce, cancellationToken);
            Interlocked.Exchange(ref _notifyScheduled, 0);
            if (Interlocked.Exchange(ref _snapshotDirty, 0) == 1 && await _reader.GetAsync(RunId, cancellationToken) is { } snapshot)
            {
                lock (_gate)
                {
                    _pendingSnapshot = snapshot;
                }
            }

            await _changed();
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<RunEvent> enumerator, ValueTask<bool> pending)
    {
        try
        {
            await pending;
        }
        catch (OperationCanceledException)
        {
        }

        await enumerator.DisposeAsync();
    }

    /// <summary>What <see cref="Apply"/> changed: lines appended at the end, lines dropped from the start.</summary>
    public readonly record struct ApplyResult(IReadOnlyList<RunLogEntry> Added, int Dropped);
}
