using KubeHa.Core.Agents;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Testing.PostgreSql;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>The catalog's migrations and the ledger's compare-and-swaps on a real PostgreSQL server.</summary>
[Trait("Category", "Integration")]
[Collection("postgresql")]
public sealed class PostgreSqlLedgerTests(PostgreSqlServer server)
{
    internal static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.31.2",
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        Cni = CniPlugin.Weave,
        PodSubnet = "10.32.0.0/12",
    };

    internal static readonly (string, NodeRole)[] Roles =
    [
        ("cp1", NodeRole.ControlPlane), ("cp2", NodeRole.ControlPlane), ("cp3", NodeRole.ControlPlane),
        ("w1", NodeRole.Worker), ("lb", NodeRole.LoadBalancer),
    ];

    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryCatalogMigrationAndStoresUtcTimes()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);

        await using var db = await catalog.Factory.CreateDbContextAsync();
        Assert.IsType<PostgreSqlKubeHaDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        var created = new DateTimeOffset(2026, 11, 26, 10, 30, 15, 123, TimeSpan.Zero);
        db.Credentials.Add(new Credential { Name = "c", Kind = CredentialKind.Password, ProtectedSecret = "enc", CreatedAt = created, UpdatedAt = created });
        await db.SaveChangesAsync();
        await using var read = await catalog.Factory.CreateDbContextAsync();
        var stored = await read.Credentials.SingleAsync(c => c.Name == "c" && c.CreatedAt >= created.AddSeconds(-1) && c.CreatedAt <= created);
        Assert.Equal(created, stored.CreatedAt);
    }

    [Fact]
    public async Task Migrate_SeveralProcessesStartingAtOnce_AllSucceedAndApplyOnce()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var factories = Enumerable.Range(0, 4).Select(_ => (IDbContextFactory<KubeHaDbContext>)new KubeHaDbContextFactory(
            Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString }),
            Microsoft.Extensions.Options.Options.Create(new DataDirectoryOptions()))).ToList();

        await Task.WhenAll(factories.Select(f => Task.Run(async () =>
        {
            await using var db = await f.CreateDbContextAsync();
            await db.Database.MigrateSerializedAsync(default);
        })));

        await using var check = await factories[0].CreateDbContextAsync();
        var applied = await check.Database.GetAppliedMigrationsAsync();
        Assert.Equal(applied.Distinct().Count(), applied.Count());
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Registry_HeartbeatsAndPrune_OnlineOfflineAndOldIdleAgentsForgotten()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var time = new KubeHa.IntegrationTests.Provisioning.LedgerDatabase.ShiftedTime();
        var registry = new KubeHa.Core.Agents.AgentRegistry(catalog.Factory, Microsoft.Extensions.Options.Options.Create(new KubeHa.Core.Agents.AgentsOptions { StaleAfter = TimeSpan.FromSeconds(15) }), time);
        await registry.HeartbeatAsync("old", "1.0", "m", ["default"], time.GetUtcNow(), default);
        time.Advance(TimeSpan.FromDays(8));
        await registry.HeartbeatAsync("new", "1.0", "m", ["dmz", "default"], time.GetUtcNow(), default);
        await registry.HeartbeatAsync("new", "1.1", "m", ["dmz", "default"], time.GetUtcNow(), default); // upsert

        var listed = await registry.ListAsync(default);
        Assert.Equal([("new", true, "1.1"), ("old", false, "1.0")], listed.Select(a => (a.Name, a.Online, a.Version)));
        Assert.Equal(["dmz", "default"], listed[0].Zones);
        Assert.Equal(1, await registry.PruneAsync(TimeSpan.FromDays(7), default));
        Assert.Equal(["new"], (await registry.ListAsync(default)).Select(a => a.Name));
        await registry.MarkStoppedAsync("new", default);
        Assert.Empty(await registry.OnlineNamesAsync(default));
    }

    [Fact]
    public async Task TrySaveChanges_DuplicateName_ReportsUniqueViolation()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        await using (var db = await catalog.Factory.CreateDbContextAsync())
        {
            db.Credentials.Add(new Credential { Name = "same", Kind = CredentialKind.Password, ProtectedSecret = "enc" });
            Assert.True(await db.TrySaveChangesAsync(default));
        }

        await using var second = await catalog.Factory.CreateDbContextAsync();
        second.Credentials.Add(new Credential { Name = "same", Kind = CredentialKind.Password, ProtectedSecret = "enc" });
        Assert.False(await second.TrySaveChangesAsync(default));
    }

    [Fact]
    public async Task TryClaim_TwoRunsOfOneClusterConcurrently_ExactlyOneClaims()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var clusterId = await catalog.AddClusterAsync(Spec, Roles);
        var plan = new PlanCatalog(null!).Get(PlanCatalog.Create);
        var runs = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            runs.Add((await catalog.Ledger.CreateRunAsync(clusterId, plan, null, "tester", default)).Id);
        }

        var claims = await Task.WhenAll(runs.Select(id => Task.Run(() => catalog.Ledger.TryClaimAsync(id, $"agent-{id}", 1, default))));

        Assert.Single(claims, c => c);
        var winner = runs[Array.IndexOf(claims, true)];
        await using var db = await catalog.Factory.CreateDbContextAsync();
        Assert.Equal(winner, (await db.Clusters.SingleAsync(c => c.Id == clusterId)).ActiveRunId);
        Assert.Equal([winner], await db.Runs.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToListAsync());
    }

    [Fact]
    public async Task TryClaim_SameAttemptTwice_SecondRefusedAndResumeNeedsNextAttempt()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var clusterId = await catalog.AddClusterAsync(Spec, Roles);
        var run = await catalog.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);

        Assert.True(await catalog.Ledger.TryClaimAsync(run.Id, "a", 1, default));
        Assert.False(await catalog.Ledger.TryClaimAsync(run.Id, "b", 1, default)); // Running under a: refused
        Assert.True(await catalog.Ledger.FinishRunAsync(run.Id, new RunOwner("a", 1), RunStatus.Failed, "boom", ClusterStatus.Failed, default));

        Assert.False(await catalog.Ledger.TryClaimAsync(run.Id, "b", 1, default)); // a late re-delivery of the first job
        Assert.False(await catalog.Ledger.TryClaimAsync(run.Id, "b", 3, default));
        Assert.True(await catalog.Ledger.TryClaimAsync(run.Id, "b", 2, default));
        var resumed = await catalog.LoadRunAsync(run.Id);
        Assert.Equal((RunStatus.Running, 2, "b"), (resumed.Status, resumed.Attempt, resumed.ClaimedBy));
        Assert.False(await catalog.Ledger.FinishRunAsync(run.Id, new RunOwner("a", 1), RunStatus.Succeeded, null, ClusterStatus.Healthy, default));
        Assert.Equal(RunStatus.Running, (await catalog.LoadRunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task TryTakeOver_ManyWatchdogsAtOnce_ExactlyOneWinsAndClusterIsReleased()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var clusterId = await catalog.AddClusterAsync(Spec, Roles);
        var run = await catalog.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        Assert.True(await catalog.Ledger.TryClaimAsync(run.Id, "dead-agent", 1, default));
        int hostId;
        await using (var hosts = await catalog.Factory.CreateDbContextAsync())
        {
            hostId = await hosts.ClusterNodes.Where(n => n.ClusterId == clusterId).Select(n => n.HostId).FirstAsync();
        }

        await catalog.Ledger.RecordHostStepAsync(run.Id, 0, "connect-hosts", hostId, StepStatus.Running, null, null, default);
        var recovery = new InterruptedRunRecovery(catalog.Factory, TimeProvider.System);

        var orphaned = Assert.Single(await recovery.FindOrphanedAsync(new HashSet<string> { "live-agent" }, default));
        Assert.Equal(("dead-agent", 1), (orphaned.Owner, orphaned.Attempt));
        Assert.Empty(await recovery.FindOrphanedAsync(new HashSet<string> { "dead-agent" }, default));
        var wins = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => recovery.TryTakeOverAsync(orphaned, default))));

        Assert.Single(wins, w => w);
        var interrupted = await catalog.LoadRunAsync(run.Id);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.All(interrupted.Steps.SelectMany(s => s.Hosts), h => Assert.NotEqual(StepStatus.Running, h.Status));
        await using var db = await catalog.Factory.CreateDbContextAsync();
        Assert.Null((await db.Clusters.SingleAsync(c => c.Id == clusterId)).ActiveRunId);
        Assert.True(await catalog.Ledger.TryClaimAsync(run.Id, "live-agent", 2, default));
    }

    [Fact]
    public async Task Execute_DryRunCreatePlan_SucceedsOnPostgreSql()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var clusterId = await catalog.AddClusterAsync(Spec, Roles);
        var run = await catalog.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var executor = AgentHostBuilder.Executor(catalog);

        Assert.True(await executor.ExecuteAsync(run.Id, "agent-1", 1, default));

        var done = await catalog.LoadRunAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        await using var db = await catalog.Factory.CreateDbContextAsync();
        var lines = await db.LogLines.Where(l => l.RunId == run.Id).OrderBy(l => l.Seq).Select(l => l.Seq).ToListAsync();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines);
    }
}
