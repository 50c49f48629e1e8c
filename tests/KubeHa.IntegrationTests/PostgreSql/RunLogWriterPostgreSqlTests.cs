using KubeHa.Core.Clusters;
using KubeHa.Core.Runs;
using KubeHa.Testing.Logging;
using KubeHa.Testing.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>The run log writer on a real PostgreSQL server: text PostgreSQL refuses, and the database failing mid-run.</summary>
[Trait("Category", "Integration")]
[Collection("postgresql")]
public sealed class RunLogWriterPostgreSqlTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Write_HostPrintsNulBytes_EveryLineIsStored()
    {
        var (catalog, runId) = await CreateRunAsync();
        var events = new RunEvents();
        using var live = events.SubscribeAll();
        await using (var writer = await RunLogWriter.OpenAsync(catalog.Factory, events, TimeProvider.System, NullLogger.Instance, runId, default))
        {
            writer.Write("init", null, LogStream.Stdout, "binary\0junk");
            writer.Write("init", null, LogStream.Stdout, "next");
            await writer.FlushAsync(default);
        }

        Assert.Equal([(1L, "binary\u2400junk"), (2L, "next")], await LedgerAsync(catalog, runId));
    }

    [Fact]
    public async Task Loop_TableUnavailableMidRun_KeepsFlushingAndLosesNoLine()
    {
        var (catalog, runId) = await CreateRunAsync();
        using var logs = new CollectingLoggerProvider();
        await using var writer = await RunLogWriter.OpenAsync(catalog.Factory, new RunEvents(), TimeProvider.System, logs.CreateLogger("writer"), runId, default);
        writer.Write("join", null, LogStream.Stdout, "stored before");
        await writer.FlushAsync(default);

        await ExecuteAsync(catalog, "ALTER TABLE \"LogLines\" RENAME TO \"LogLinesAway\"");
        for (var i = 1; i <= 600; i++)
        {
            writer.Write("join", null, LogStream.Stdout, $"while failing {i}");
        }

        await WaitUntilAsync(() => logs.Entries.Count(e => e.Contains("could not store", StringComparison.Ordinal)) >= 2);
        Assert.Equal(600, writer.PendingCount);
        await ExecuteAsync(catalog, "ALTER TABLE \"LogLinesAway\" RENAME TO \"LogLines\"");

        writer.Write("join", null, LogStream.Stdout, "after");
        await WaitUntilAsync(() => writer.PendingCount == 0);

        var expected = new[] { "stored before" }.Concat(Enumerable.Range(1, 600).Select(i => $"while failing {i}")).Append("after")
            .Select((text, i) => ((long)i + 1, text));
        Assert.Equal(expected, await LedgerAsync(catalog, runId));
    }

    private async Task<(PostgreSqlCatalog Catalog, long RunId)> CreateRunAsync()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        await using var db = await catalog.Factory.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var run = new Run { Cluster = new Cluster { Name = "c", Spec = new ClusterSpec(), CreatedAt = now, UpdatedAt = now }, Plan = "create", Spec = new ClusterSpec(), Status = RunStatus.Running, CreatedAt = now };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return (catalog, run.Id);
    }

    private static async Task ExecuteAsync(PostgreSqlCatalog catalog, string sql)
    {
        await using var connection = new NpgsqlConnection(catalog.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<(long, string)>> LedgerAsync(PostgreSqlCatalog catalog, long runId)
    {
        await using var db = await catalog.Factory.CreateDbContextAsync();
        return (await db.LogLines.Where(l => l.RunId == runId).OrderBy(l => l.Seq).ToListAsync()).Select(l => (l.Seq, l.Text)).ToList();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
