using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Seed 002 on the lab: external etcd on node1-3 (kubeadm-generated certificates distributed, seed 002 §6), control
/// planes node4-6, one HAProxy host node7; then the reset plan on the whole cluster.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class Seed002ExternalEtcdTests(ITestOutputHelper output)
{
    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.31.2",
        EtcdTopology = EtcdTopology.External,
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        ContainerRuntime = ContainerRuntime.Containerd,
        Cni = CniPlugin.Calico,
        PodSubnet = "192.168.0.0/16",
    };

    [Fact]
    public async Task ExecuteAsync_CreateExternalEtcdThenReset_ReadyThenCleaned()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await using var lab = await LabProvisioning.UpAsync(7, ct);
        var clusterId = await lab.AddClusterAsync(Spec,
            [("node1", NodeRole.Etcd), ("node2", NodeRole.Etcd), ("node3", NodeRole.Etcd),
             ("node4", NodeRole.ControlPlane), ("node5", NodeRole.ControlPlane), ("node6", NodeRole.ControlPlane),
             ("node7", NodeRole.LoadBalancer)], ct);

        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        output.WriteLine($"create: {run.Status} after {clock.Elapsed}");
        Assert.True(run.Status == RunStatus.Succeeded, await lab.DescribeAsync(run, ct));

        var cluster = await lab.ClusterAsync(clusterId, ct);
        var kubeconfig = lab.Db.Protector.Unprotect(cluster.ProtectedKubeconfig!);
        var nodes = await LabProvisioning.PollAsync(c => LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{lab.Ip("node7")}:6443", c),
            n => n.Count == 3 && n.Values.All(r => r), TimeSpan.FromSeconds(30), ct);
        Assert.Equal(["node4", "node5", "node6"], nodes.Keys.Order());
        Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready"));
        var members = await LabProvisioning.Lab.ExecAsync("node1",
            "ETCDCTL_API=3 etcdctl --endpoints https://10.77.0.11:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key member list", ct);
        output.WriteLine(members.Stdout + members.Stderr);
        Assert.Equal(3, members.Stdout.Split('\n').Count(l => l.Contains(", started,", StringComparison.Ordinal)));
        var config = await LabProvisioning.Lab.ExecAsync("node4", "cat /etc/kubernetes/manifests/kube-apiserver.yaml", ct);
        Assert.Contains("--etcd-servers=https://10.77.0.11:2379,https://10.77.0.12:2379,https://10.77.0.13:2379", config.Stdout, StringComparison.Ordinal);

        var reset = await lab.RunPlanAsync(clusterId, PlanCatalog.Reset, null, ct);
        output.WriteLine($"reset: {reset.Status} after {clock.Elapsed}");
        Assert.True(reset.Status == RunStatus.Succeeded, await lab.DescribeAsync(reset, ct));
        Assert.Equal(ClusterStatus.Draft, (await lab.ClusterAsync(clusterId, ct)).Status);
        foreach (var host in new[] { "node4", "node5", "node6" })
        {
            var left = await LabProvisioning.Lab.ExecAsync(host, "ls /etc/kubernetes/manifests 2>/dev/null | wc -l; test -f /etc/kubernetes/kubelet.conf && echo conf || echo none", ct);
            Assert.Equal("0\nnone", left.Stdout.Trim());
        }

        output.WriteLine($"seed 002 total: {clock.Elapsed}");
    }
}
