using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Seed 004 on the lab: 2 stacked control planes are refused before any host is touched; then node1-3 control planes
/// and node4/node5 workers behind one dedicated HAProxy host (node6, no VIP), CRI-O and Weave.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class Seed004DedicatedHaproxyTests(ITestOutputHelper output)
{
    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.29.10",
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        ControlPlaneEndpointPort = 6443,
        ContainerRuntime = ContainerRuntime.CriO,
        Cni = CniPlugin.Weave,
        PodSubnet = "10.32.0.0/12",
    };

    [Fact]
    public async Task ExecuteAsync_TwoControlPlanesThenThreeThenResetOne_RefusedCreatedAndBackendRemoved()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await using var lab = await LabProvisioning.UpAsync(6, ct);

        var refusedId = await lab.AddClusterAsync(Spec, [("node1", NodeRole.ControlPlane), ("node2", NodeRole.ControlPlane), ("node6", NodeRole.LoadBalancer)], ct);
        var refused = await lab.RunPlanAsync(refusedId, PlanCatalog.Create, null, ct);
        Assert.Equal(RunStatus.Failed, refused.Status);
        Assert.Contains("even", refused.Error, StringComparison.OrdinalIgnoreCase);
        Assert.All(refused.Steps, s => Assert.Equal(StepStatus.Pending, s.Status));
        Assert.DoesNotContain(await lab.LogAsync(refused.Id, ct), l => l.Text.StartsWith("$ ", StringComparison.Ordinal));
        var untouched = await LabProvisioning.Lab.ExecAsync("node1", "ls /etc/kubernetes 2>/dev/null | wc -l; cat /proc/sys/net/ipv4/ip_forward; dpkg -l kubeadm 2>/dev/null | grep -c ^ii", ct);
        Assert.Equal("0\n0\n0", untouched.Stdout.Trim()); // no /etc/kubernetes, ip_forward still 0, no kubeadm
        await lab.DeleteClusterAsync(refusedId, ct);

        var clusterId = await lab.AddClusterAsync(Spec,
            [("node1", NodeRole.ControlPlane), ("node2", NodeRole.ControlPlane), ("node3", NodeRole.ControlPlane),
             ("node4", NodeRole.Worker), ("node5", NodeRole.Worker), ("node6", NodeRole.LoadBalancer)], ct);
        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        output.WriteLine($"create: {run.Status} after {clock.Elapsed}");
        Assert.True(run.Status == RunStatus.Succeeded, await lab.DescribeAsync(run, ct));

        var cluster = await lab.ClusterAsync(clusterId, ct);
        var kubeconfig = lab.Db.Protector.Unprotect(cluster.ProtectedKubeconfig!);
        var nodes = await LabProvisioning.PollAsync(c => LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{lab.Ip("node6")}:6443", c),
            n => n.Count == 5 && n.Values.All(r => r), TimeSpan.FromSeconds(30), ct);
        Assert.Equal(["node1", "node2", "node3", "node4", "node5"], nodes.Keys.Order());
        Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready"));
        var backends = await LabProvisioning.PollAsync(c => LabProvisioning.HaproxyBackendsAsync("node6", c),
            b => b.Count == 3 && b.Values.All(s => s.StartsWith("UP", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), ct);
        Assert.All(backends, b => Assert.StartsWith("UP", b.Value, StringComparison.Ordinal));
        var crio = await LabProvisioning.Lab.ExecAsync("node4", "systemctl is-active crio", ct);
        Assert.Equal("active", crio.Stdout.Trim());

        // Reset plan on one control plane: drained, `kubeadm reset -f`, and gone from the HAProxy backends.
        var reset = await lab.RunPlanAsync(clusterId, PlanCatalog.Reset, [lab.HostId("node3")], ct);
        output.WriteLine($"reset node3: {reset.Status} after {clock.Elapsed}");
        Assert.True(reset.Status == RunStatus.Succeeded, await lab.DescribeAsync(reset, ct));
        var resetLog = await lab.LogAsync(reset.Id, ct);
        Assert.Contains(resetLog, l => l.HostId == lab.HostId("node3") && l.Text.StartsWith("$ kubeadm reset -f", StringComparison.Ordinal));
        Assert.DoesNotContain(resetLog, l => l.HostId != lab.HostId("node3") && l.Text.StartsWith("$ kubeadm reset", StringComparison.Ordinal));
        var left = await LabProvisioning.Lab.ExecAsync("node3", "ls /etc/kubernetes/manifests 2>/dev/null | wc -l; test -f /etc/kubernetes/kubelet.conf && echo conf || echo none", ct);
        Assert.Equal("0\nnone", left.Stdout.Trim());
        var after = await LabProvisioning.PollAsync(c => LabProvisioning.HaproxyBackendsAsync("node6", c),
            b => b.Count == 2 && b.Values.All(s => s.StartsWith("UP", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), ct);
        Assert.Equal(2, after.Count);
        Assert.All(after, b => Assert.StartsWith("UP", b.Value, StringComparison.Ordinal));
        var remaining = await LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{lab.Ip("node6")}:6443", ct);
        Assert.DoesNotContain("node3", remaining.Keys);
        output.WriteLine($"seed 004 total: {clock.Elapsed}");
    }
}
