using KubeHa.Agent;
using KubeHa.Agent.Health;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Persistence;
using KubeHa.Testing.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>The health monitor on PostgreSQL (the migrated health columns, the compare-and-swap, zones served).</summary>
[Trait("Category", "Integration")]
[Collection("postgresql")]
public sealed class ClusterHealthPostgreSqlTests(PostgreSqlServer server)
{
    [Fact]
    public async Task CheckAllAsync_AgentServingOneZone_StoresDegradedOnlyForItsZonesClusters()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var east = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles, zone: "dc-east");
        var west = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles, zone: "dc-west");
        await using (var db = await catalog.Factory.CreateDbContextAsync())
        {
            await db.Clusters.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Healthy));
        }

        var checkedAt = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var monitor = new ClusterHealthMonitor(
            new ClusterHealthRecorder(catalog.Factory, new ClusterHealthEvents()),
            new FailingFeed(),
            Options.Create(new AgentOptions { Queues = ["dc-east"] }),
            Options.Create(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = catalog.ConnectionString }),
            new FixedTime(checkedAt),
            NullLogger<ClusterHealthMonitor>.Instance);

        var outcome = Assert.Single(await monitor.CheckAllAsync(CancellationToken.None));

        Assert.True(outcome.TurnedDegraded);
        await using var read = await catalog.Factory.CreateDbContextAsync();
        var clusters = await read.Clusters.AsNoTracking().ToDictionaryAsync(c => c.Id);
        Assert.Equal(ClusterStatus.Degraded, clusters[east].Status);
        Assert.Equal("health check failed (TimeoutException)", clusters[east].HealthReasons);
        Assert.Equal(checkedAt, clusters[east].HealthCheckedAt);
        Assert.Equal(ClusterStatus.Healthy, clusters[west].Status);
        Assert.Null(clusters[west].HealthCheckedAt);
    }

    [Fact]
    public async Task RecordAsync_RunHoldsCluster_LeavesItsStatus()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var id = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
        await using (var db = await catalog.Factory.CreateDbContextAsync())
        {
            await db.Clusters.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClusterStatus.Provisioning).SetProperty(c => c.ActiveRunId, 5L));
        }

        var recorder = new ClusterHealthRecorder(catalog.Factory, new ClusterHealthEvents());

        var outcome = await recorder.RecordAsync(id, [], DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.False(outcome.Recorded);
        await using var read = await catalog.Factory.CreateDbContextAsync();
        Assert.Equal(ClusterStatus.Provisioning, (await read.Clusters.SingleAsync(c => c.Id == id)).Status);
    }

    private sealed class FailingFeed : IClusterHealthFeed
    {
        public IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, CancellationToken cancellationToken) => throw new TimeoutException();

        public Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken) => throw new TimeoutException();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
