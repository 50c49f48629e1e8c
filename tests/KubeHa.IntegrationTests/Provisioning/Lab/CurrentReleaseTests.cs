using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// The newest stable release, KubeHa's default, provisioned on the lab: three stacked control planes and a worker
/// behind node-local HAProxy, from the lab's pkgs.k8s.io repository of that minor. The nodes report that version to
/// `kubectl get nodes`, kubeadm waited with its 1.33+ control-plane check and the etcd members joined as learners.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class CurrentReleaseTests(ITestOutputHelper output)
{
    private const string Kubectl = "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s";

    private static readonly string[] ControlPlanes = ["node1", "node2", "node3"];

    [Fact]
    public async Task ExecuteAsync_CreateWithDefaultRelease_NodesReportNewestStableVersion()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        var spec = new ClusterSpec
        {
            LoadBalancerMode = LoadBalancerMode.NodeLocal,
            ControlPlaneEndpointPort = 5443,
            ContainerRuntime = ContainerRuntime.Containerd,
            Cni = CniPlugin.Flannel,
            PodSubnet = "10.244.0.0/16",
        };
        Assert.Equal(KubernetesReleases.Default, spec.KubernetesVersion);
        var version = "v" + spec.KubernetesVersion;

        await using var lab = await LabProvisioning.UpAsync(4, ct);
        var clusterId = await lab.AddClusterAsync(spec,
            ControlPlanes.Select(h => (h, NodeRole.ControlPlane)).Append(("node4", NodeRole.Worker)), ct);
        var run = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        output.WriteLine($"create {spec.KubernetesVersion}: {run.Status} after {clock.Elapsed}");
        Assert.True(run.Status == RunStatus.Succeeded, await lab.DescribeAsync(run, ct));

        // The packages came from the repository of the release's own minor.
        var minor = KubernetesVersion.Parse(spec.KubernetesVersion).Minor;
        var sources = await LabProvisioning.Lab.ExecAsync("node4", "cat /etc/apt/sources.list.d/kubernetes.list", ct);
        Assert.Contains($"https://pkgs.k8s.io/core:/stable:/v1.{minor}/deb/", sources.Stdout, StringComparison.Ordinal);

        // Every node, read through the lab with kubectl: Ready at the release's version.
        var expected = ControlPlanes.Append("node4").Order().ToList();
        var table = await LabProvisioning.PollAsync(
            c => LabProvisioning.Lab.ExecAsync("node1", $"{Kubectl} get nodes --no-headers", c),
            r => Rows(r.Stdout).Count == expected.Count && Rows(r.Stdout).All(n => n[1] == "Ready"), TimeSpan.FromSeconds(30), ct);
        output.WriteLine(table.Stdout);
        var rows = Rows(table.Stdout);
        Assert.Equal(expected, rows.Select(n => n[0]).Order());
        Assert.All(rows, n => Assert.True(n[1] == "Ready" && n[4] == version, $"{string.Join(' ', n)}: expected Ready {version}"));

        // kubeadm of this minor: the control-plane check of 1.33+, and three voting etcd members after learner joins.
        var log = await lab.LogAsync(run.Id, ct);
        Assert.Contains(log, l => l.Text.Contains("[control-plane-check] kube-apiserver is healthy after", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Text.Contains("[api-check]", StringComparison.Ordinal));
        var members = await LabProvisioning.Lab.ExecAsync("node1",
            "crictl exec $(crictl ps -q --name etcd) etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt " +
            "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key member list -w simple", ct);
        Assert.True(members.ExitCode == 0, members.Stderr);
        var memberLines = members.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, memberLines.Length);
        Assert.All(memberLines, m => Assert.EndsWith("false", m.Trim(), StringComparison.Ordinal));
        output.WriteLine($"current release total: {clock.Elapsed}");
    }

    /// <summary>`kubectl get nodes --no-headers` rows: NAME STATUS ROLES AGE VERSION.</summary>
    private static List<string[]> Rows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length >= 5)
            .ToList();
}
