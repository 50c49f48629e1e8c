using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>
/// The run's log sink: each line gets the next Seq of the run and is queued; a background loop persists the queue in
/// batches (every <see cref="FlushInterval"/> or <see cref="BatchSize"/> lines) and publishes each batch live once it
/// is stored.
/// <para>
/// Published only after it is persisted: every line a viewer ever sees is in the ledger. If this process dies (an agent
/// killed mid-run), the lines it had not stored were never shown anywhere, so the agent that takes the run over and
/// continues the Seq after the ledger's last line gives no viewer a Seq it already holds with other text (viewers
/// drop a line whose Seq they hold: a published-but-lost line would hide the new attempt's line of that Seq).
/// </para>
/// </summary>
public sealed class RunLogWriter : IRunLogSink, IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    public const int BatchSize = 500;

    private readonly IDbContextFactory<KubeHaDbContext> _db;
    private readonly RunEvents _events;
    private readonly TimeProvider _time;
    private readonly long _runId;
    private readonly List<LogLine> _pending = [];
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _seq;

    private RunLogWriter(IDbContextFactory<KubeHaDbContext> db, RunEvents events, TimeProvider time, long runId, long lastSeq)
    {
        _db = db;
        _events = events;
        _time = time;
        _runId = runId;
        _seq = lastSeq;
        _loop = LoopAsync();
    }

    /// <summary>Opens the writer, continuing the run's Seq after the last persisted line (resume).</summary>
    public static async Task<RunLogWriter> OpenAsync(IDbContextFactory<KubeHaDbContext> db, RunEvents events, TimeProvider time, long runId, CancellationToken cancellationToken)
    {
        await using var context = await db.CreateDbContextAsync(cancellationToken);
        var last = await context.LogLines.Where(l => l.RunId == runId).MaxAsync(l => (long?)l.Seq, cancellationToken) ?? 0;
        return new RunLogWriter(db, events, time, runId, last);
    }

    /// <summary>Queues the line with the run's next Seq; it is persisted, then published, by the next flush.</summary>
    public void Write(string? stepKey, int? hostId, LogStream stream, string text)
    {
        LogLine line;
        lock (_pending)
        {
            line = new LogLine { RunId = _runId, Seq = ++_seq, StepKey = stepKey, HostId = hostId, Stream = stream, Text = text, Time = _time.GetUtcNow() };
            _pending.Add(line);
        }
    }

    /// <summary>Persists everything queued so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                List<LogLine> batch;
                lock (_pending)
                {
                    if (_pending.Count == 0)
                    {
                        return;
                    }

                    batch = _pending.Take(BatchSize).ToList();
                    _pending.RemoveRange(0, batch.Count);
                }

                await using var context = await _db.CreateDbContextAsync(cancellationToken);
                context.LogLines.AddRange(batch);
                await context.SaveChangesAsync(cancellationToken);
                foreach (var line in batch)
                {
                    _events.Publish(new RunLogEvent(_runId, line.Seq, line.StepKey, line.HostId, line.Stream, line.Text, line.Time));
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool full;
            lock (_pending)
            {
                full = _pending.Count > 0;
            }

            if (full)
            {
                await FlushAsync(CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await FlushAsync(bounded.Token);
        _stop.Dispose();
        _flushLock.Dispose();
    }
}
