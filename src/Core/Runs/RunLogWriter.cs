using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

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
/// <para>
/// Nothing is dropped while the database fails: a batch leaves the queue only once SaveChanges succeeded, the loop
/// survives a failed flush (and retries with a growing pause), and disposing flushes what is left. NUL characters,
/// which a host can print and PostgreSQL refuses in text, are stored as U+2400 (␀).
/// </para>
/// </summary>
public sealed partial class RunLogWriter : IRunLogSink, IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxRetryPause = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(30);
    public const int BatchSize = 500;

    private readonly IDbContextFactory<KubeHaDbContext> _db;
    private readonly RunEvents _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _runId;
    private readonly List<LogLine> _pending = [];
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _seq;
    private bool _lastFlushFailed;

    private RunLogWriter(IDbContextFactory<KubeHaDbContext> db, RunEvents events, TimeProvider time, ILogger logger, long runId, long lastSeq)
    {
        _db = db;
        _events = events;
        _time = time;
        _logger = logger;
        _runId = runId;
        _seq = lastSeq;
        _loop = LoopAsync();
    }

    /// <summary>Opens the writer, continuing the run's Seq after the last persisted line (resume).</summary>
    public static async Task<RunLogWriter> OpenAsync(IDbContextFactory<KubeHaDbContext> db, RunEvents events, TimeProvider time, ILogger logger, long runId, CancellationToken cancellationToken)
    {
        await using var context = await db.CreateDbContextAsync(cancellationToken);
        var last = await context.LogLines.Where(l => l.RunId == runId).MaxAsync(l => (long?)l.Seq, cancellationToken) ?? 0;
        return new RunLogWriter(db, events, time, logger, runId, last);
    }

    /// <summary>Lines not stored yet (queued, or kept after a failed flush).</summary>
    public int PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Queues the line with the run's next Seq; it is persisted, then published, by the next flush.</summary>
    public void Write(string? stepKey, int? hostId, LogStream stream, string text)
    {
        text = text.Replace('\0', '\u2400');
        lock (_pending)
        {
            _pending.Add(new LogLine { RunId = _runId, Seq = ++_seq, StepKey = stepKey, HostId = hostId, Stream = stream, Text = text, Time = _time.GetUtcNow() });
        }
    }

    /// <summary>
    /// Persists everything queued so far. A batch leaves the queue only once it is stored: when the database fails,
    /// this throws and every line stays queued for the next flush.
    /// </summary>
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

                    // Only this (locked) flush removes lines and Write only appends: the head stays this batch.
                    batch = _pending.Take(BatchSize).ToList();
                }

                List<LogLine> stored;
                try
                {
                    stored = await StoreAsync(batch, cancellationToken);
                    _lastFlushFailed = false;
                }
                catch
                {
                    _lastFlushFailed = true;
                    throw;
                }

                lock (_pending)
                {
                    _pending.RemoveRange(0, batch.Count);
                }

                foreach (var line in stored)
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

    /// <returns>The lines this call inserted (a line whose Seq was already stored is not published again).</returns>
    private async Task<List<LogLine>> StoreAsync(List<LogLine> batch, CancellationToken cancellationToken)
    {
        await using var context = await _db.CreateDbContextAsync(cancellationToken);
        var toInsert = batch;
        if (_lastFlushFailed)
        {
            // The failed attempt may have committed before its error reached us (a connection lost after COMMIT), or
            // the Seq is taken by the agent that took the run over from this one: a stored row stays as it is, so a
            // retry never trips over the unique (RunId, Seq) forever.
            var first = batch[0].Seq;
            var last = batch[^1].Seq;
            var stored = await context.LogLines.AsNoTracking().Where(l => l.RunId == _runId && l.Seq >= first && l.Seq <= last)
                .Select(l => l.Seq).ToListAsync(cancellationToken);
            toInsert = batch.Where(l => !stored.Contains(l.Seq)).ToList();
        }

        foreach (var line in toInsert)
        {
            line.Id = 0; // a failed SaveChanges may have assigned keys that were rolled back
        }

        context.LogLines.AddRange(toInsert);
        await context.SaveChangesAsync(cancellationToken);
        return toInsert;
    }

    private async Task LoopAsync()
    {
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            var pause = failures == 0 ? FlushInterval
                : TimeSpan.FromTicks(Math.Min(MaxRetryPause.Ticks, FlushInterval.Ticks << Math.Min(failures, 10)));
            try
            {
                await Task.Delay(pause, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (PendingCount == 0)
            {
                continue;
            }

            try
            {
                await FlushAsync(_stop.Token);
                if (failures > 0)
                {
                    LogFlushRecovered(_logger, _runId, failures);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The lines stay queued; the next pass retries them. The loop must outlive any database failure.
                failures++;
                LogFlushFailed(_logger, _runId, PendingCount, ex.GetType().Name, ex);
            }
        }
    }

    /// <summary>
    /// Stops the loop, then stores what is left, retrying for up to <see cref="FinalFlushTimeout"/> while the database
    /// fails; throws only if lines could still not be stored by then (they are named in the log).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop; // never faults: the loop catches its failures
        using var bounded = new CancellationTokenSource(FinalFlushTimeout, _time);
        var pause = FlushInterval;
        try
        {
            while (true)
            {
                try
                {
                    await FlushAsync(bounded.Token);
                    break;
                }
                catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
                {
                    LogFlushFailed(_logger, _runId, PendingCount, ex.GetType().Name, ex);
                    await Task.Delay(pause, _time, bounded.Token);
                    pause = TimeSpan.FromTicks(Math.Min(MaxRetryPause.Ticks, pause.Ticks * 2));
                }
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            LogLinesLost(_logger, _runId, PendingCount);
            throw new RunLogLostException(_runId, PendingCount);
        }
        finally
        {
            _stop.Dispose();
            _flushLock.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: could not store {Pending} log line(s) ({Error}); they stay queued and are retried")]
    private static partial void LogFlushFailed(ILogger logger, long runId, int pending, string error, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: log lines stored again after {Failures} failed attempt(s)")]
    private static partial void LogFlushRecovered(ILogger logger, long runId, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: {Pending} log line(s) could not be stored before the writer closed")]
    private static partial void LogLinesLost(ILogger logger, long runId, int pending);
}
