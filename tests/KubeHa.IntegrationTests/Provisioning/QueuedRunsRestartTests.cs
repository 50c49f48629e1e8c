using KubeHa.Agent;
using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>
/// SQLite keeps Hangfire's jobs in the process: a run queued when the process died lost its job. The next process
/// enqueues it again at start-up, so it starts instead of staying queued forever.
/// </summary>
[Trait("Category", "Integration")]
public sealed class QueuedRunsRestartTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("kubeha-queued-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task AgentStart_RunLeftQueued_IsEnqueuedAgainAndStarts()
    {
        long runId;
        using (var before = Build(runWorker: false))
        {
            await before.Services.InitializeKubeHaDatabaseAsync();
            int clusterId;
            await using (var db = await Db(before).CreateDbContextAsync())
            {
                var cluster = new Cluster { Name = "left-queued", Spec = new ClusterSpec(), CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
                db.Clusters.Add(cluster);
                await db.SaveChangesAsync();
                clusterId = cluster.Id;
            }

            // Created and enqueued in memory by the process that then died.
            var plan = before.Services.GetRequiredService<IPlanCatalog>().Get(PlanCatalog.Create);
            runId = (await before.Services.GetRequiredService<RunLedger>().CreateRunAsync(clusterId, plan, null, "tester", default)).Id;
        }

        using var after = Build(runWorker: true);
        await after.StartAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            Run run;
            do
            {
                await Task.Delay(200);
                await using var db = await Db(after).CreateDbContextAsync();
                run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
            }
            while (run.Status is RunStatus.Queued or RunStatus.Running && DateTime.UtcNow < deadline);

            // Claimed and executed by the new process (a cluster without hosts fails validation at once).
            Assert.NotEqual(RunStatus.Queued, run.Status);
            Assert.NotNull(run.ClaimedBy);
            Assert.Equal(1, run.Attempt);
        }
        finally
        {
            await after.StopAsync();
        }
    }

    private static IDbContextFactory<KubeHaDbContext> Db(IHost host) => host.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();

    private IHost Build(bool runWorker)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KubeHa:DataDirectory"] = _dataDir });
        builder.Services.AddKubeHaAgent(runWorker);
        return builder.Build();
    }
}
