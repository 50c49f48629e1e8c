using KubeHa.Core.Clusters;
using KubeHa.Core.Runs;
using KubeHa.Core.Tests.Support;
using KubeHa.Core.Persistence;
using KubeHa.Testing.Logging;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
        await using var writer = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), NullLogger.Instance, _runId, default);

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
        var dying = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), NullLogger.Instance, _runId, default);
        dying.Write("init", null, LogStream.Stdout, "attempt 1 stored a");
        dying.Write("init", null, LogStream.Stdout, "attempt 1 stored b");
        await dying.FlushAsync(default);
        dying.Write("init", null, LogStream.Stdout, "attempt 1 lost");

        // Attempt 2, another agent: continues after the ledger's last line.
        await using (var takeover = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), NullLogger.Instance, _runId, default))
        {
            takeover.Write("init", null, LogStream.Stdout, "attempt 2");
        }

        var expected = new[] { (1L, "attempt 1 stored a"), (2L, "attempt 1 stored b"), (3L, "attempt 2") };
        Assert.Equal(expected, Drain(live).Select(e => (e.Seq, e.Text)));
        Assert.Equal(expected, await LedgerAsync());
    }

    [Fact]
    public async Task FlushAsync_DatabaseLockedMidRun_KeepsEveryLineQueuedAndStoresThemOnceUnlocked()
    {
        var events = new RunEvents();
        using var live = events.SubscribeAll();
        await using var factory = ImpatientFactory();
        await using var writer = await RunLogWriter.OpenAsync(factory.Factory, events, new StoppedTime(), NullLogger.Instance, _runId, default);
        writer.Write("init", null, LogStream.Stdout, "before");
        await writer.FlushAsync(default);

        await using (var locker = await LockDatabaseAsync())
        {
            writer.Write("init", null, LogStream.Stdout, "during a");
            writer.Write("init", null, LogStream.Stdout, "during b");
            await Assert.ThrowsAnyAsync<Exception>(() => writer.FlushAsync(default));
            Assert.Equal(2, writer.PendingCount);
        }

        writer.Write("init", null, LogStream.Stdout, "after");
        await writer.FlushAsync(default);

        var expected = new[] { (1L, "before"), (2L, "during a"), (3L, "during b"), (4L, "after") };
        Assert.Equal(expected, await LedgerAsync());
        Assert.Equal(expected, Drain(live).Select(e => (e.Seq, e.Text)));
        Assert.Equal(0, writer.PendingCount);
    }

    [Fact]
    public async Task Loop_FlushFailsWhileTheDatabaseIsLocked_KeepsRunningAndStoresEveryLineAfterwards()
    {
        var events = new RunEvents();
        using var logs = new CollectingLoggerProvider();
        var logger = logs.CreateLogger("writer");
        await using var factory = ImpatientFactory();
        await using var writer = await RunLogWriter.OpenAsync(factory.Factory, events, TimeProvider.System, logger, _runId, default);

        await using (var locker = await LockDatabaseAsync())
        {
            for (var i = 1; i <= 3; i++)
            {
                writer.Write("join", null, LogStream.Stdout, $"locked {i}");
            }

            // Two failed passes of the loop: the first failure did not end it.
            await WaitUntilAsync(() => logs.Entries.Count(e => e.Contains("could not store", StringComparison.Ordinal)) >= 2);
            Assert.Equal(3, writer.PendingCount);
        }

        writer.Write("join", null, LogStream.Stdout, "unlocked");
        await WaitUntilAsync(() => writer.PendingCount == 0);

        Assert.Equal([(1L, "locked 1"), (2L, "locked 2"), (3L, "locked 3"), (4L, "unlocked")], await LedgerAsync());
    }

    [Fact]
    public async Task DisposeAsync_LoopFailedBefore_FinalFlushStoresWhatIsLeft()
    {
        using var logs = new CollectingLoggerProvider();
        await using var factory = ImpatientFactory();
        var writer = await RunLogWriter.OpenAsync(factory.Factory, new RunEvents(), TimeProvider.System, logs.CreateLogger("writer"), _runId, default);
        await using (var locker = await LockDatabaseAsync())
        {
            writer.Write("reset", null, LogStream.Stderr, "last words");
            await WaitUntilAsync(() => logs.Entries.Any(e => e.Contains("could not store", StringComparison.Ordinal)));
        }

        await writer.DisposeAsync();

        Assert.Equal([(1L, "last words")], await LedgerAsync());
    }

    [Fact]
    public async Task Write_TextWithNulCharacters_StoredAndPublishedWithoutThem()
    {
        var events = new RunEvents();
        using var live = events.SubscribeAll();
        await using var writer = await RunLogWriter.OpenAsync(_catalog.Factory, events, new StoppedTime(), NullLogger.Instance, _runId, default);

        writer.Write("init", null, LogStream.Stdout, "a\0b\0");
        await writer.FlushAsync(default);

        Assert.Equal([(1L, "a\u2400b\u2400")], await LedgerAsync());
        Assert.Equal("a\u2400b\u2400", Assert.Single(Drain(live)).Text);
    }

    /// <summary>A factory on the same catalog file that gives up on a locked database after one second (production waits 30).</summary>
    private ImpatientCatalog ImpatientFactory() => new(Path.Combine(_catalog.Directory, "kubeha.db"));

    /// <summary>Another connection holding SQLite's exclusive lock: every write of the writer fails with "database is locked".</summary>
    private async Task<SqliteConnection> LockDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_catalog.Directory, "kubeha.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private sealed class ImpatientCatalog : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        public ImpatientCatalog(string path) => _services = new ServiceCollection()
            .AddDbContextFactory<KubeHaDbContext>(o => o.UseSqlite($"Data Source={path};Default Timeout=1"))
            .BuildServiceProvider();

        public IDbContextFactory<KubeHaDbContext> Factory => _services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();

        public ValueTask DisposeAsync() => _services.DisposeAsync();
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
