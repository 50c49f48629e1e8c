using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Seed 000 on the lab: node1-3 stacked control planes, node4-7 workers, node8/node9 HAProxy + keepalived with the VIP
/// 10.77.1.10:8443 (`option httpchk GET /healthz`), containerd, Calico. The create plan runs through the real executor
/// over SSH to success; the result is then checked independently of the engine.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class Seed000KeepalivedVipTests(ITestOutputHelper output)
{
    private const string Vip = "10.77.1.10";

    private static readonly string[] ControlPlanes = ["node1", "node2", "node3"];
    private static readonly string[] Workers = ["node4", "node5", "node6", "node7"];
    private static readonly string[] Balancers = ["node8", "node9"];

    public static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.31.2",
        LoadBalancerMode = LoadBalancerMode.KeepalivedVip,
        VirtualIp = Vip,
        VirtualIpPrefixLength = 16,
        ControlPlaneEndpointPort = 8443,
        ContainerRuntime = ContainerRuntime.Containerd,
        Cni = CniPlugin.Calico,
        PodSubnet = "192.168.0.0/16",
    };

    [Fact]
    public async Task ExecuteAsync_CreateSeed000_AllNodesReadyBackendsUpSecretsNeverStored()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await using var lab = await LabProvisioning.UpAsync(9, ct);
        var clusterId = await lab.AddClusterAsync(Spec,
            ControlPlanes.Select(h => (h, NodeRole.ControlPlane))
                .Concat(Workers.Select(h => (h, NodeRole.Worker)))
                .Concat(Balancers.Select(h => (h, NodeRole.LoadBalancer))), ct);

        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        output.WriteLine($"create run: {run.Status} after {clock.Elapsed}");

        Assert.True(run.Status == RunStatus.Succeeded, await lab.DescribeAsync(run, ct));
        Assert.All(run.Steps, s => Assert.True(s.Status is StepStatus.Succeeded or StepStatus.Skipped, $"{s.Key} {s.Status}"));
        Assert.All(run.Steps.SelectMany(s => s.Hosts), h => Assert.Equal(StepStatus.Succeeded, h.Status));
        Assert.Equal(StepStatus.Succeeded, run.Steps.Single(s => s.Key == "verify-cluster").Status);

        var log = await lab.LogAsync(run.Id, ct);
        Assert.Single(log, l => l.Text.Contains("kubeadm init", StringComparison.Ordinal) && l.Text.StartsWith("$ ", StringComparison.Ordinal));

        var cluster = await lab.ClusterAsync(clusterId, ct);
        Assert.Equal(ClusterStatus.Healthy, cluster.Status);
        Assert.NotNull(cluster.ProtectedKubeconfig);
        var kubeconfig = lab.Db.Protector.Unprotect(cluster.ProtectedKubeconfig!);
        Assert.Contains("client-key-data", kubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain("client-key-data", cluster.ProtectedKubeconfig!, StringComparison.Ordinal);

        var token = lab.Db.Protector.Unprotect(cluster.ProtectedBootstrapToken!);
        var certificateKey = lab.Db.Protector.Unprotect(cluster.ProtectedCertificateKey!);
        var tokenSecret = token.Split('.')[1];
        Assert.DoesNotContain(log, l => l.Text.Contains(tokenSecret, StringComparison.Ordinal) || l.Text.Contains(certificateKey, StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
        var raw = await File.ReadAllBytesAsync(lab.Db.DatabasePath, ct);
        var wal = File.Exists(lab.Db.DatabasePath + "-wal") ? await File.ReadAllBytesAsync(lab.Db.DatabasePath + "-wal", ct) : [];
        foreach (var secret in new[] { tokenSecret, certificateKey })
        {
            Assert.False(Contains(raw, secret) || Contains(wal, secret), "a join secret is stored in clear in the SQLite file");
        }

        // Independently of the engine: every node Ready through the VIP, every HAProxy backend UP on both balancers.
        var nodes = await LabProvisioning.PollAsync(c => LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{Vip}:8443", c),
            n => n.Count == 7 && n.Values.All(r => r), TimeSpan.FromSeconds(30), ct);
        Assert.Equal(ControlPlanes.Concat(Workers).Order(), nodes.Keys.Order());
        Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready"));
        foreach (var balancer in Balancers)
        {
            var backends = await LabProvisioning.PollAsync(c => LabProvisioning.HaproxyBackendsAsync(balancer, c),
                b => b.Count == 3 && b.Values.All(s => s.StartsWith("UP", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), ct);
            Assert.Equal(3, backends.Count);
            Assert.All(backends, b => Assert.StartsWith("UP", b.Value, StringComparison.Ordinal));
        }

        output.WriteLine($"seed 000 total: {clock.Elapsed}");
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;
}
