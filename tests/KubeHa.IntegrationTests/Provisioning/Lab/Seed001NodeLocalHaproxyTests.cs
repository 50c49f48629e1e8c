using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Seed 001 on the lab: node1-3 control planes, HAProxy on every node bound to 127.0.0.1:5443 as the control-plane
/// endpoint, Flannel; then node4 added as a worker with the add-nodes plan (with its own local HAProxy).
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class Seed001NodeLocalHaproxyTests(ITestOutputHelper output)
{
    private static readonly string[] ControlPlanes = ["node1", "node2", "node3"];

    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.30.6",
        LoadBalancerMode = LoadBalancerMode.NodeLocal,
        ControlPlaneEndpointPort = 5443,
        ContainerRuntime = ContainerRuntime.Containerd,
        Cni = CniPlugin.Flannel,
        PodSubnet = "10.244.0.0/16",
    };

    [Fact]
    public async Task ExecuteAsync_CreateSeed001ThenAddWorker_WorkerJoinsThroughItsLocalHaproxy()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await using var lab = await LabProvisioning.UpAsync(4, ct);
        var clusterId = await lab.AddClusterAsync(Spec, ControlPlanes.Select(h => (h, NodeRole.ControlPlane)), ct);

        var create = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        output.WriteLine($"create: {create.Status} after {clock.Elapsed}");
        Assert.True(create.Status == RunStatus.Succeeded, await lab.DescribeAsync(create, ct));

        await lab.AddNodesAsync(clusterId, [("node4", NodeRole.Worker)], ct);
        var add = await lab.RunPlanAsync(clusterId, PlanCatalog.AddNodes, [lab.HostId("node4")], ct);
        output.WriteLine($"add-nodes: {add.Status} after {clock.Elapsed}");
        Assert.True(add.Status == RunStatus.Succeeded, await lab.DescribeAsync(add, ct));

        // The existing control planes were not joined again; only node4 joined, through its local HAProxy.
        var addLog = await lab.LogAsync(add.Id, ct);
        Assert.DoesNotContain(addLog, l => l.Text.StartsWith("$ kubeadm init", StringComparison.Ordinal));
        Assert.Single(addLog, l => l.Text.StartsWith("$ kubeadm join", StringComparison.Ordinal));
        Assert.Equal(lab.HostId("node4"), addLog.Single(l => l.Text.StartsWith("$ kubeadm join", StringComparison.Ordinal)).HostId);
        var kubeletConf = await LabProvisioning.Lab.ExecAsync("node4", "cat /etc/kubernetes/kubelet.conf", ct);
        Assert.Contains("server: https://127.0.0.1:5443", kubeletConf.Stdout, StringComparison.Ordinal);

        var cluster = await lab.ClusterAsync(clusterId, ct);
        var kubeconfig = lab.Db.Protector.Unprotect(cluster.ProtectedKubeconfig!);
        var nodes = await LabProvisioning.PollAsync(c => LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{lab.Ip("node2")}:6443", c),
            n => n.Count == 4 && n.Values.All(r => r), TimeSpan.FromSeconds(30), ct);
        Assert.Equal(["node1", "node2", "node3", "node4"], nodes.Keys.Order());
        Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready"));
        foreach (var host in new[] { "node1", "node2", "node3", "node4" })
        {
            var backends = await LabProvisioning.PollAsync(c => LabProvisioning.HaproxyBackendsAsync(host, c),
                b => b.Count == 3 && b.Values.All(s => s.StartsWith("UP", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), ct);
            Assert.Equal(3, backends.Count);
            Assert.All(backends, b => Assert.StartsWith("UP", b.Value, StringComparison.Ordinal));
            var listen = await LabProvisioning.Lab.ExecAsync(host, "ss -Hltn 'sport = :5443'", ct);
            Assert.Contains("127.0.0.1:5443", listen.Stdout, StringComparison.Ordinal);
        }

        output.WriteLine($"seed 001 total: {clock.Elapsed}");
    }
}
