using KubeHa.Agent;
using KubeHa.Agent.Health;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.IntegrationTests.Clusters;
using KubeHa.Lab;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// The health monitor on a cluster the engine really provisioned on the lab (3 control planes behind a dedicated HAProxy
/// on node4): healthy after the create run; node2's apiserver killed turns the stored status Degraded with node2's
/// backend DOWN as a reason; healing it turns it Healthy again. Everything real: SSH.NET, KubernetesClient, HAProxy
/// stats socket, etcdctl in the etcd container.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class HealthMonitorLabTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CheckAsync_ApiserverKilledThenHealed_StoredStatusDegradedThenHealthy()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        await using var lab = await LabProvisioning.UpAsync(4, ct);
        var clusterId = await lab.AddClusterAsync(
            new ClusterSpec { KubernetesVersion = "1.29.10", LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy, ControlPlaneEndpointPort = 6443 },
            [("node1", NodeRole.ControlPlane), ("node2", NodeRole.ControlPlane), ("node3", NodeRole.ControlPlane), ("node4", NodeRole.LoadBalancer)], ct);
        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        Assert.True(run.Status == RunStatus.Succeeded, await lab.DescribeAsync(run, ct));
        Assert.Equal(ClusterStatus.Healthy, (await lab.ClusterAsync(clusterId, ct)).Status);

        var catalog = new ClusterCatalog(lab.Db.Factory, new ClusterHealthFeedTests.NoScheduler(), new PlanPreviewer(lab.Db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var feed = new ClusterHealthFeed(catalog, new KubeconfigReader(lab.Db.Factory, lab.Db.Protector), new KubernetesHealthWatcher(TimeProvider.System), lab.Shells(), TimeProvider.System,
            Options.Create(new ClusterHealthOptions()), NullLogger<ClusterHealthFeed>.Instance);
        var monitor = new ClusterHealthMonitor(new ClusterHealthRecorder(lab.Db.Factory, new ClusterHealthEvents()), feed,
            Options.Create(new AgentOptions { HealthProbeTimeout = TimeSpan.FromSeconds(20) }), Options.Create(new DatabaseOptions()), TimeProvider.System, NullLogger<ClusterHealthMonitor>.Instance);
        var cluster = new MonitoredCluster(clusterId, "lab", null, ClusterStatus.Healthy);

        var healthy = await LabProvisioning.PollAsync(c => monitor.CheckAsync(cluster, c), o => o is { Recorded: true, Current: ClusterStatus.Healthy }, TimeSpan.FromSeconds(60), ct);
        Assert.True(healthy.Current == ClusterStatus.Healthy, string.Join("; ", healthy.Reasons));

        await LabProvisioning.Lab.FaultAsync("node2", LabFault.ApiserverKilled, ct);
        var degraded = await LabProvisioning.PollAsync(c => monitor.CheckAsync(cluster, c),
            o => o.Current == ClusterStatus.Degraded && o.Reasons.Any(Node2Down), TimeSpan.FromSeconds(60), ct);
        output.WriteLine($"degraded: {string.Join("; ", degraded.Reasons)}");
        Assert.Contains(degraded.Reasons, Node2Down);
        var stored = await lab.ClusterAsync(clusterId, ct);
        Assert.Equal(ClusterStatus.Degraded, stored.Status);
        Assert.Contains(ClusterHealthRecorder.SplitReasons(stored.HealthReasons), Node2Down);

        await LabProvisioning.Lab.HealAsync("node2", LabFault.ApiserverKilled, ct);
        var recovered = await LabProvisioning.PollAsync(c => monitor.CheckAsync(cluster, c), o => o is { Recorded: true, Current: ClusterStatus.Healthy }, TimeSpan.FromSeconds(90), ct);
        Assert.True(recovered.Current == ClusterStatus.Healthy, string.Join("; ", recovered.Reasons));
        Assert.Equal(ClusterStatus.Healthy, (await lab.ClusterAsync(clusterId, ct)).Status);
    }

    /// <summary>"node4: node2 DOWN ..." (the dedicated balancer reports node2's API backend not UP).</summary>
    private static bool Node2Down(string reason) => reason.StartsWith("node4: node2 ", StringComparison.Ordinal) && reason.Contains("DOWN", StringComparison.Ordinal);
}
