using Hangfire;
using KubeHa.Agent;
using KubeHa.Core.Hosts;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Testing.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>Where jobs are enqueued (Web with no worker): a pinned cluster's runs and its hosts' checks on its zone's queue.</summary>
[Trait("Category", "Integration")]
[Collection("postgresql")]
public sealed class ZoneQueueTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Schedule_ClusterPinnedToZone_RunAndHostChecksOnThatQueueOnly()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var dataDirectory = Directory.CreateTempSubdirectory("kubeha-zones-").FullName;
        try
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["KubeHa:Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:KubeHa"] = catalog.ConnectionString,
                ["KubeHa:DataDirectory"] = dataDirectory,
            }).Build();
            await using var web = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config).AddKubeHaAgent(runWorker: false).BuildServiceProvider();
            var pinned = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles, zone: "dmz");
            var unpinned = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
            List<int> pinnedHosts, unpinnedHosts;
            await using (var db = await catalog.Factory.CreateDbContextAsync())
            {
                pinnedHosts = await db.ClusterNodes.Where(n => n.ClusterId == pinned).Select(n => n.HostId).Distinct().ToListAsync();
                unpinnedHosts = await db.ClusterNodes.Where(n => n.ClusterId == unpinned).Select(n => n.HostId).Distinct().ToListAsync();
            }

            await web.GetRequiredService<IRunScheduler>().StartAsync(pinned, PlanCatalog.Create, null, "tester", default);
            await web.GetRequiredService<IHostCheckScheduler>().ScheduleAsync([.. pinnedHosts, .. unpinnedHosts], default);
            await web.GetRequiredService<IRunScheduler>().StartAsync(unpinned, PlanCatalog.Create, null, "tester", default);

            var monitor = web.GetRequiredService<JobStorage>().GetMonitoringApi();
            var dmz = monitor.EnqueuedJobs("dmz", 0, 100).Select(j => j.Value.Job).ToList();
            var standard = monitor.EnqueuedJobs("default", 0, 100).Select(j => j.Value.Job).ToList();
            Assert.Equal(1 + pinnedHosts.Count, dmz.Count);
            Assert.Single(dmz, j => j.Type.Name == "ProvisioningJob");
            Assert.Equal(pinnedHosts.Order(), dmz.Where(j => j.Type.Name == "HostCheckJob").Select(j => (int)j.Args[0]).Order());
            Assert.Equal(1 + unpinnedHosts.Count, standard.Count);
            Assert.Equal(unpinnedHosts.Order(), standard.Where(j => j.Type.Name == "HostCheckJob").Select(j => (int)j.Args[0]).Order());
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
