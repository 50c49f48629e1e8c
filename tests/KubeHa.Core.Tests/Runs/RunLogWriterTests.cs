using KubeHa.Core.Clusters;
using KubeHa.Core.Runs;
using KubeHa.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Tests.Runs;

/// <summary>
/// The writer publishes a line only once it is in the ledger. Viewers (run pages, hub streams, an agent's relay to Web)
/// drop a live line whose Seq they already hold, so a line shown but never stored (its process killed before the
/// flush) would hide the line of the same Seq that the agent taking the run over writes.
/// </summary>
public sealed class RunLogWriterTests : IAsyncLifetime
{
    private readonly TempCatalog _catalog = new();
    private long _runId;

    public async Task InitializeAsync()
    {
        await _catalog.InitializeAsync();
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var cluster = new Cluster { Name = "c", Spec = new ClusterSpec(), CreatedAt = now, UpdatedAt = now };
        var run = new Run { Cluster = cluster, Plan = "create", Spec = new ClusterSpec(), Status = RunStatus.Running, CreatedAt = now };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        _runId = run.Id;
    }

    public Task DisposeAsync() => _catalog.DisposeAsync();

    [Fact]
    public async Task Write_NotYetFlushed_PublishedOnlyOncePersisted()
    {
        var events = new RunEvents();
        using var live = events.SubscribeAll();
        await using var writer = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), _runId, default);

        writer.Write("step", null, LogStream.Stdout, "one");
        writer.Write("step", null, LogStream.Stderr, "two");

        Assert.Equal(0, live.Reader.Count);
        Assert.Empty(await LedgerAsync());

        await writer.FlushAsync(default);

        Assert.Equal([(1L, "one"), (2L, "two")], Drain(live).Select(e => (e.Seq, e.Text)));
        Assert.Equal([(1L, "one"), (2L, "two")], await LedgerAsync());
    }

    [Fact]
    public async Task OpenAsync_PreviousWriterDiedWithUnflushedLines_ViewersNeverSawThemAndTheNewSeqIsNotAHeldOne()
    {
        var events = new RunEvents();
        using var live = events.SubscribeAll();

        // Attempt 1: two lines stored, a third written when its process dies (nothing flushes it any more).
        var dying = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), _runId, default);
        dying.Write("init", null, LogStream.Stdout, "attempt 1 stored a");
        dying.Write("init", null, LogStream.Stdout, "attempt 1 stored b");
        await dying.FlushAsync(default);
        dying.Write("init", null, LogStream.Stdout, "attempt 1 lost");

        // Attempt 2, another agent: continues after the ledger's last line.
        await using (var takeover = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), _runId, default))
        {
            takeover.Write("init", null, LogStream.Stdout, "attempt 2");
        }

        var expected = new[] { (1L, "attempt 1 stored a"), (2L, "attempt 1 stored b"), (3L, "attempt 2") };
        Assert.Equal(expected, Drain(live).Select(e => (e.Seq, e.Text)));
        Assert.Equal(expected, await LedgerAsync());
    }

    private async Task<List<(long, string)>> LedgerAsync()
    {
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        return (await db.LogLines.Where(l => l.RunId == _runId).OrderBy(l => l.Seq).ToListAsync()).Select(l => (l.Seq, l.Text)).ToList();
    }

    private static List<RunLogEvent> Drain(RunEventsSubscription subscription)
    {
        var events = new List<RunLogEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            events.Add(Assert.IsType<RunLogEvent>(e));
        }

        return events;
    }

    /// <summary>A clock whose timers never fire: the writer's periodic flush never runs, only explicit flushes do.</summary>
    private sealed class StoppedTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(_ => { }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
