using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Lab;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>Faults on the lab: swap caught by preflight, a host down mid-run then resume, expired join material.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class FaultTests(ITestOutputHelper output)
{
    private static ClusterSpec NodeLocal => new()
    {
        KubernetesVersion = "1.31.2",
        LoadBalancerMode = LoadBalancerMode.NodeLocal,
        ControlPlaneEndpointPort = 5443,
        Cni = CniPlugin.Flannel,
        PodSubnet = "10.244.0.0/16",
    };

    [Fact]
    public async Task ExecuteAsync_SwapOnAndNotManaged_PreflightFailsBeforeAnythingChanges()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var lab = await LabProvisioning.UpAsync(2, ct);
        var clusterId = await lab.AddClusterAsync(NodeLocal with { ManageSwap = false }, [("node1", NodeRole.ControlPlane), ("node2", NodeRole.Worker)], ct);
        var before = await StateAsync("node2", ct);

        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("check-preflight", run.Error, StringComparison.Ordinal);
        Assert.Contains("swap is on", run.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Failed, run.Steps.Single(s => s.Key == "check-preflight").Status);
        Assert.All(run.Steps.Where(s => s.Ordinal > run.Steps.Single(x => x.Key == "check-preflight").Ordinal), s => Assert.Equal(StepStatus.Pending, s.Status));
        Assert.Equal(before, await StateAsync("node2", ct));
        Assert.Contains("swap", before, StringComparison.Ordinal); // swap still active (/proc/swaps lists it)
    }

    [Fact]
    public async Task ExecuteAsync_HostDownMidRunThenResume_SucceedsWithoutRepeatingInit()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await using var lab = await LabProvisioning.UpAsync(4, ct);
        var clusterId = await lab.AddClusterAsync(NodeLocal,
            [("node1", NodeRole.ControlPlane), ("node2", NodeRole.ControlPlane), ("node3", NodeRole.ControlPlane), ("node4", NodeRole.Worker)], ct);
        var run = await lab.Db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "lab-test", ct);

        var executing = Task.Run(() => lab.Executor().ExecuteAsync(run.Id, "lab-agent", attempt: 1, ct), ct);
        await LabProvisioning.PollAsync(c => StepStatusAsync(lab, run.Id, "init-first-control-plane", c), s => s == StepStatus.Succeeded || executing.IsCompleted, TimeSpan.FromMinutes(2), ct);
        await LabProvisioning.Lab.FaultAsync("node4", LabFault.HostDown, ct);
        await executing;
        var failed = await lab.LoadRunAsync(run.Id, ct);
        output.WriteLine($"with node4 down: {failed.Status} after {clock.Elapsed}: {failed.Error}");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("node4", failed.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Succeeded, failed.Steps.Single(s => s.Key == "init-first-control-plane").Status);

        await LabProvisioning.Lab.HealAsync("node4", LabFault.HostDown, ct);
        var resumed = await lab.ResumeAsync(run.Id, ct);
        output.WriteLine($"resumed: {resumed.Status} after {clock.Elapsed}");
        Assert.True(resumed.Status == RunStatus.Succeeded, await lab.DescribeAsync(resumed, ct));
        Assert.Equal(2, resumed.Attempt);
        var log = await lab.LogAsync(run.Id, ct);
        Assert.Single(log, l => l.Text.StartsWith("$ kubeadm init", StringComparison.Ordinal));
        var kubeconfig = lab.Db.Protector.Unprotect((await lab.ClusterAsync(clusterId, ct)).ProtectedKubeconfig!);
        var nodes = await LabProvisioning.PollAsync(c => LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{lab.Ip("node1")}:6443", c),
            n => n.Count == 4 && n.Values.All(r => r), TimeSpan.FromSeconds(30), ct);
        Assert.Equal(4, nodes.Count);
        Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready"));
    }

    [Fact]
    public async Task ExecuteAsync_AddNodesAfterTokenAndCertificateKeyExpired_FreshMaterialUsed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await using var lab = await LabProvisioning.UpAsync(4, ct);
        try
        {
            var clusterId = await lab.AddClusterAsync(NodeLocal, [("node1", NodeRole.ControlPlane)], ct);
            var create = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
            Assert.True(create.Status == RunStatus.Succeeded, await lab.DescribeAsync(create, ct));
            var before = await lab.ClusterAsync(clusterId, ct);

            // 25 h later: the bootstrap token (24 h) and the uploaded certificates (2 h) have expired on the cluster.
            await LabProvisioning.Lab.AdvanceClockAsync(TimeSpan.FromHours(25), ct);
            lab.Db.Time.Advance(TimeSpan.FromHours(25));
            await lab.AddNodesAsync(clusterId, [("node2", NodeRole.ControlPlane), ("node3", NodeRole.ControlPlane), ("node4", NodeRole.Worker)], ct);
            var add = await lab.RunPlanAsync(clusterId, PlanCatalog.AddNodes, [lab.HostId("node2"), lab.HostId("node3"), lab.HostId("node4")], ct);
            output.WriteLine($"add-nodes after 25 h: {add.Status} after {clock.Elapsed}");
            Assert.True(add.Status == RunStatus.Succeeded, await lab.DescribeAsync(add, ct));

            var after = await lab.ClusterAsync(clusterId, ct);
            Assert.NotEqual(lab.Db.Protector.Unprotect(before.ProtectedBootstrapToken!), lab.Db.Protector.Unprotect(after.ProtectedBootstrapToken!));
            Assert.NotEqual(lab.Db.Protector.Unprotect(before.ProtectedCertificateKey!), lab.Db.Protector.Unprotect(after.ProtectedCertificateKey!));
            var log = await lab.LogAsync(add.Id, ct);
            // The new token reached the cluster through a file kubeadm read, not through the process list; the file is gone.
            var newToken = lab.Db.Protector.Unprotect(after.ProtectedBootstrapToken!);
            Assert.Contains(log, l => l.Text.StartsWith("$ kubeadm token create --config", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Text.Contains(newToken, StringComparison.Ordinal) || l.Text.Contains(newToken.Split('.')[1], StringComparison.Ordinal));
            var tokens = await LabProvisioning.Lab.ExecAsync("node1", $"kubeadm token list; test -e {JoinMaterialRefresher.TokenConfigPath} && echo token-file-left", ct);
            Assert.Contains(newToken, tokens.Stdout, StringComparison.Ordinal);
            Assert.Contains("KubeHa join token", tokens.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("token-file-left", tokens.Stdout, StringComparison.Ordinal);
            Assert.Contains(log, l => l.Text.StartsWith("$ kubeadm init phase upload-certs", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Text.StartsWith("$ kubeadm init ", StringComparison.Ordinal) && !l.Text.Contains("phase", StringComparison.Ordinal));
            var kubeconfig = lab.Db.Protector.Unprotect(after.ProtectedKubeconfig!);
            var nodes = await LabProvisioning.PollAsync(c => LabProvisioning.NodesReadyAsync(kubeconfig, $"https://{lab.Ip("node1")}:6443", c),
                n => n.Count == 4 && n.Values.All(r => r), TimeSpan.FromSeconds(30), ct);
            Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready"));
            Assert.Equal(4, nodes.Count);
        }
        finally
        {
            using var reset = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await LabProvisioning.Lab.ResetClockAsync(reset.Token);
        }
    }

    private static async Task<string> StateAsync(string host, CancellationToken ct)
    {
        var r = await LabProvisioning.Lab.ExecAsync(host,
            "cat /proc/swaps | tail -n +2; cat /proc/sys/net/ipv4/ip_forward; ls /etc/sysctl.d /etc/modules-load.d /etc/kubernetes 2>/dev/null; command -v kubeadm containerd haproxy || true", ct);
        return r.Stdout;
    }

    private static async Task<StepStatus?> StepStatusAsync(LabProvisioning lab, long runId, string key, CancellationToken ct)
    {
        await using var db = await lab.Db.Factory.CreateDbContextAsync(ct);
        return await db.Set<StepRun>().Where(s => s.RunId == runId && s.Key == key).Select(s => (StepStatus?)s.Status).SingleOrDefaultAsync(ct);
    }
}
