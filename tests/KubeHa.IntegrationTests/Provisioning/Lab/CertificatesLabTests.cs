using KubeHa.Agent;
using KubeHa.Agent.Health;
using KubeHa.Core.Alerts;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Certificates;
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
/// Certificates of a control plane the engine provisioned on the lab, read with `kubeadm certs check-expiration` over
/// SSH: a year for the leaf certificates and ten for the CAs after the create run; with the lab clock 345 days later the
/// apiserver certificate is past the 30-day warning (an alert, the cluster still healthy on that account); 360 days
/// later it is past the 7-day threshold and the health monitor stores the cluster Degraded with that reason.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class CertificatesLabTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CheckExpiration_LabClockAdvanced_WarnsThenDegradesWithTheCertificateNamed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = cts.Token;
        await using var lab = await LabProvisioning.UpAsync(2, ct);
        var clusterId = await lab.AddClusterAsync(
            new ClusterSpec { KubernetesVersion = "1.31.2", LoadBalancerMode = LoadBalancerMode.NodeLocal, ControlPlaneEndpointPort = 5443 },
            [("node1", NodeRole.ControlPlane), ("node2", NodeRole.Worker)], ct);
        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        Assert.True(run.Status == RunStatus.Succeeded, await lab.DescribeAsync(run, ct));

        var options = Options.Create(new ClusterHealthOptions());
        var catalog = new ClusterCatalog(lab.Db.Factory, new ClusterHealthFeedTests.NoScheduler(), new PlanPreviewer(lab.Db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var reader = new ClusterCertificateReader(catalog, lab.Shells(), TimeProvider.System, options);
        var certificates = new CertificateHealth(reader, new AlertRaiser(lab.Db.Factory, new AlertDeliverySignal()), options, TimeProvider.System);
        var cluster = new MonitoredCluster(clusterId, "lab", null, ClusterStatus.Healthy);

        var fresh = (await reader.ReadAsync(clusterId, fresh: true, ct))!;
        Assert.True(fresh.Errors.Count == 0, string.Join("; ", fresh.Errors));
        Assert.All(fresh.Certificates, c => Assert.Equal("node1", c.Host)); // the worker holds no kubeadm certificate
        var apiserver = fresh.Certificates.Single(c => c.Name == "apiserver");
        Assert.Equal("ca", apiserver.Authority);
        Assert.InRange(apiserver.ResidualDays, 363, 365);
        Assert.Equal("etcd-ca", fresh.Certificates.Single(c => c.Name == "etcd-server").Authority);
        var ca = fresh.Certificates.Single(c => c.Name == "ca");
        Assert.True(ca.IsAuthority);
        Assert.InRange(ca.ResidualDays, 3640, 3653);
        Assert.Empty((await certificates.CheckAsync(cluster, ct)).Expiring);

        try
        {
            await LabProvisioning.Lab.AdvanceClockAsync(TimeSpan.FromDays(345), ct);
            await reader.ReadAsync(clusterId, fresh: true, ct);
            var warning = await certificates.CheckAsync(cluster, ct);
            output.WriteLine("345 days later: " + string.Join(", ", warning.Expiring.Select(c => $"{c.Name} {c.ResidualDays}d")));
            Assert.InRange(warning.Expiring.Single(c => c.Name == "apiserver").ResidualDays, 18, 20);
            Assert.DoesNotContain(warning.Expiring, c => c.IsAuthority);
            Assert.Empty(warning.Degradations); // under 30 days: a warning only

            await LabProvisioning.Lab.AdvanceClockAsync(TimeSpan.FromDays(15), ct);
            await reader.ReadAsync(clusterId, fresh: true, ct);
            var feed = new ClusterHealthFeed(catalog, new KubeconfigReader(lab.Db.Factory, lab.Db.Protector), new KubernetesHealthWatcher(TimeProvider.System), lab.Shells(), TimeProvider.System,
                options, NullLogger<ClusterHealthFeed>.Instance);
            var monitor = new ClusterHealthMonitor(new ClusterHealthRecorder(lab.Db.Factory, new ClusterHealthEvents()), feed,
                Options.Create(new AgentOptions { HealthProbeTimeout = TimeSpan.FromSeconds(20) }), Options.Create(new DatabaseOptions()), TimeProvider.System, NullLogger<ClusterHealthMonitor>.Instance, certificates);
            var outcome = await monitor.CheckAsync(cluster, ct);
            output.WriteLine("360 days later: " + string.Join("; ", outcome.Reasons));
            Assert.Equal(ClusterStatus.Degraded, outcome.Current);
            Assert.Contains(outcome.Reasons, r => r.StartsWith("node1: certificate apiserver expires in ", StringComparison.Ordinal));
            Assert.Contains(ClusterHealthRecorder.SplitReasons((await lab.ClusterAsync(clusterId, ct)).HealthReasons),
                r => r.StartsWith("node1: certificate apiserver expires in ", StringComparison.Ordinal));
        }
        finally
        {
            using var reset = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await LabProvisioning.Lab.ResetClockAsync(reset.Token);
        }
    }
}
