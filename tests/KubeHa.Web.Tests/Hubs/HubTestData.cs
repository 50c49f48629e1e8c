using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Hubs;

/// <summary>A cluster with a queued run, written straight into the app's catalog and ledger (no job is scheduled).</summary>
public static class HubTestData
{
    private static int _next;

    public static async Task<(int ClusterId, long RunId)> CreateClusterWithRunAsync(KubeHaAppFactory app)
    {
        var n = Interlocked.Increment(ref _next);
        var services = app.Services;
        var factory = services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        List<int> hostIds;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var credential = new Credential { Name = $"hub-cred-{n}", Kind = CredentialKind.Password, ProtectedSecret = "x" };
            var hosts = new[] { "cp", "lb" }.Select((h, i) => new ManagedHost { Name = $"hub{n}-{h}", Address = $"10.9.{n}.{i + 1}", Username = "root", Credential = credential }).ToList();
            db.Hosts.AddRange(hosts);
            await db.SaveChangesAsync();
            hostIds = hosts.Select(h => h.Id).ToList();
        }

        var created = await services.GetRequiredService<ClusterCatalog>().CreateAsync(new ClusterDraft($"hub-{n}", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
            [new HostRoles(hostIds[0], new HashSet<NodeRole> { NodeRole.ControlPlane }), new HostRoles(hostIds[1], new HashSet<NodeRole> { NodeRole.LoadBalancer })]), default);
        var clusterId = created.ClusterId ?? throw new InvalidOperationException(string.Join(" ", created.Errors));
        var plan = services.GetRequiredService<IPlanCatalog>().Get(PlanCatalog.Create);
        var run = await services.GetRequiredService<RunLedger>().CreateRunAsync(clusterId, plan, null, null, default);
        return (clusterId, run.Id);
    }

    public static async Task PersistLinesAsync(KubeHaAppFactory app, long runId, long from, long to)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        for (var seq = from; seq <= to; seq++)
        {
            db.LogLines.Add(new LogLine { RunId = runId, Seq = seq, StepKey = "connect-hosts", Stream = LogStream.Stdout, Text = $"line {seq}", Time = DateTimeOffset.UtcNow });
        }

        await db.SaveChangesAsync();
    }

    public static RunLogEvent Line(long runId, long seq) => new(runId, seq, "connect-hosts", null, LogStream.Stdout, $"line {seq}", DateTimeOffset.UtcNow);
}
