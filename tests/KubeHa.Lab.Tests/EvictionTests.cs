namespace KubeHa.Lab.Tests;

/// <summary>
/// `kubectl drain` goes through the Eviction API as on a real cluster: DaemonSet pods are skipped with
/// --ignore-daemonsets, `--dry-run=server` evicts nothing, and a PodDisruptionBudget refuses with 429.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class EvictionTests(LabFixture lab)
{
    private const string Kubectl = "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s";

    private const string Workload = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-0
          namespace: default
          labels: {app: web}
        spec:
          nodeName: node6
          containers:
          - name: web
            image: registry.k8s.io/pause:3.9
        """;

    private const string Budget = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: web
          namespace: default
        spec:
          minAvailable: 1
          selector:
            matchLabels: {app: web}
        """;

    private (int Exit, string Out, string Err) Apply(string manifest) =>
        lab.Ssh("node1", $"echo {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(manifest))} | base64 -d | {Kubectl} apply -f -");

    private Task<bool> WebRunningAsync() => LabFixture.EventuallyAsync(() => Task.FromResult(
        lab.Ssh("node1", $"{Kubectl} get pod web-0 -o jsonpath='{{.status.phase}}'").Out.Trim() == "Running"), TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Drain_PodDisruptionBudget_RefusesWith429AndDryRunEvictsNothing()
    {
        try
        {
            Assert.Equal(0, Apply(Workload).Exit);
            Assert.True(await WebRunningAsync());

            var dry = lab.Ssh("node1", $"{Kubectl} drain node6 --ignore-daemonsets --force --dry-run=server");
            Assert.True(dry.Exit == 0, dry.Err);
            Assert.Contains("evicting pod default/web-0 (server dry run)", dry.Out + dry.Err, StringComparison.Ordinal);
            // kubectl joins its warnings with "; " in map order (web-0 has no controller: "deleting Pods that declare no controller").
            Assert.True(dry.Err.Contains("ignoring DaemonSet-managed Pods: kube-system/kube-proxy-", StringComparison.Ordinal), dry.Out + dry.Err);
            Assert.Equal("Running", lab.Ssh("node1", $"{Kubectl} get pod web-0 -o jsonpath='{{.status.phase}}'").Out.Trim());

            Assert.Equal(0, Apply(Budget).Exit);
            var blocked = lab.Ssh("node1", $"{Kubectl} drain node6 --ignore-daemonsets --force --timeout=12s");
            Assert.NotEqual(0, blocked.Exit);
            Assert.Contains("error when evicting pods/\"web-0\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.",
                blocked.Out + blocked.Err, StringComparison.Ordinal);
            Assert.Equal("true", lab.Ssh("node1", $"{Kubectl} get node node6 -o jsonpath='{{.spec.unschedulable}}'").Out.Trim());

            Assert.Equal(0, lab.Ssh("node1", $"{Kubectl} delete pdb web").Exit);
            var drained = lab.Ssh("node1", $"{Kubectl} drain node6 --ignore-daemonsets --force --timeout=30s");
            Assert.True(drained.Exit == 0, drained.Err);
            Assert.Contains("pod/web-0 evicted", drained.Out + drained.Err, StringComparison.Ordinal);
            Assert.Contains("NotFound", lab.Ssh("node1", $"{Kubectl} get pod web-0").Err, StringComparison.Ordinal);
        }
        finally
        {
            lab.Ssh("node1", $"{Kubectl} delete pdb web --ignore-not-found; {Kubectl} delete pod web-0 --ignore-not-found; {Kubectl} uncordon node6");
        }
    }
}
