using System.Diagnostics;
using k8s;
using k8s.Models;

namespace KubeHa.Lab.Tests;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ClusterTests(LabFixture lab)
{
    private const string Kubectl = "/usr/bin/kubectl";

    private async Task<(int Exit, string Out, string Err)> KubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(lab.AdminKubeconfigPath);
        psi.ArgumentList.Add("--request-timeout=10s");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }

    private async Task<Dictionary<string, string>> NodeReadinessAsync()
    {
        var (exit, output, _) = await KubectlAsync("get", "nodes", "-o",
            "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
        return exit != 0 ? [] : output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);
    }

    [Fact]
    public async Task Kubectl_GetNodesThroughVip_AllJoinedNodesTurnReadyAfterCni()
    {
        Assert.True(await LabFixture.EventuallyAsync(async () =>
        {
            var nodes = await NodeReadinessAsync();
            return nodes.Count == 4 && nodes.Values.All(v => v == "True");
        }, TimeSpan.FromSeconds(20)));
        var (exit, table, err) = await KubectlAsync("get", "nodes");
        Assert.True(exit == 0, err);
        Assert.Matches(@"node1\s+Ready\s+control-plane", table);
        Assert.Matches(@"node6\s+Ready\s+<none>", table);
        var (_, pods, _) = await KubectlAsync("get", "pods", "-n", "kube-system");
        Assert.Contains("kube-apiserver-node2", pods, StringComparison.Ordinal);
        Assert.Matches(@"coredns-\S+\s+1/1\s+Running", pods);
    }

    [Fact]
    public async Task Kubectl_WatchNodes_ReportsNotReadyWhenKubeletStopsAndReadyAfter()
    {
        var psi = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", lab.AdminKubeconfigPath, "get", "nodes", "node6", "--watch", "--no-headers" }) psi.ArgumentList.Add(a);
        using var watch = Process.Start(psi)!;
        var lines = new List<string>();
        var reader = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync() is { } line) lock (lines) lines.Add(line);
        });
        try
        {
            Assert.True(await LabFixture.EventuallyAsync(() => Task.FromResult(Seen(lines, @"node6\s+Ready")), TimeSpan.FromSeconds(15)));
            await lab.Lab.FaultAsync("node6", LabFault.KubeletStopped, default);
            Assert.True(await LabFixture.EventuallyAsync(() => Task.FromResult(Seen(lines, @"node6\s+NotReady")), TimeSpan.FromSeconds(20)));
            await lab.Lab.HealAsync("node6", LabFault.KubeletStopped, default);
            var notReadyAt = lines.FindLastIndex(l => l.Contains("NotReady", StringComparison.Ordinal));
            Assert.True(await LabFixture.EventuallyAsync(() => Task.FromResult(Seen(lines.Skip(notReadyAt + 1).ToList(), @"node6\s+Ready")), TimeSpan.FromSeconds(20)));
        }
        finally
        {
            await lab.Lab.HealAsync("node6", LabFault.KubeletStopped, default);
            watch.Kill();
            await reader;
        }
    }

    private static bool Seen(List<string> lines, string pattern)
    {
        lock (lines) return lines.Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, pattern));
    }

    [Fact]
    public async Task KubernetesClient_ListAndWatchNodesThroughVip_SeesJoinedNodesAndChanges()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.AdminKubeconfigPath);
        using var client = new Kubernetes(config);
        Assert.True(await LabFixture.ApiReachableThroughVipAsync(TimeSpan.FromSeconds(30)));
        var list = await client.CoreV1.ListNodeAsync();
        Assert.Equal(["node1", "node2", "node3", "node6"], list.Items.Select(n => n.Metadata.Name).Order().ToArray());
        Assert.All(list.Items.Where(n => LabFixture.ControlPlanes.Contains(n.Metadata.Name)),
            n => Assert.True(n.Metadata.Labels.ContainsKey("node-role.kubernetes.io/control-plane")));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var added = new HashSet<string>();
        var sawPatch = false;
        var patched = false;
        await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Added) added.Add(node.Metadata.Name);
            if (added.Count == 4 && !patched)
            {
                patched = true;
                var patch = new V1Patch("{\"metadata\":{\"labels\":{\"lab.kubeha.io/probe\":\"yes\"}}}", V1Patch.PatchType.MergePatch);
                await client.CoreV1.PatchNodeAsync(patch, "node6", cancellationToken: cts.Token);
            }
            if (type == WatchEventType.Modified && node.Metadata.Name == "node6" && node.Metadata.Labels.TryGetValue("lab.kubeha.io/probe", out var v) && v == "yes")
            {
                sawPatch = true;
                break;
            }
        }
        Assert.Equal(4, added.Count);
        Assert.True(sawPatch);
    }

    private async Task<Dictionary<string, string>> HaproxyBackendAsync(string lbIp)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var csv = await http.GetStringAsync($"http://{lbIp}:8404/stats;csv");
        return csv.Split('\n').Select(l => l.Split(',')).Where(c => c.Length > 17 && c[0] == "kube-apiserver" && c[1].StartsWith("node", StringComparison.Ordinal))
            .ToDictionary(c => c[1], c => c[17]);
    }

    [Fact]
    public async Task Haproxy_HealthCheck_MarksKilledApiserverDownAndRecoveredUp()
    {
        // Other tests of the collection take control planes down and back (host-down, reset and rejoin): after a host
        // boots, its kubelet starts the apiserver again and HAProxy needs `rise` good checks to mark it UP.
        Dictionary<string, string> before = [];
        if (!await LabFixture.EventuallyAsync(async () =>
            (before = await HaproxyBackendAsync("10.77.0.14")).Values.All(s => s == "UP"), TimeSpan.FromSeconds(60)))
        {
            // What the kubelet of each such host thinks it runs, and the apiserver's last words, for the next engineer.
            var hosts = before.Where(b => b.Value != "UP").Select(b => b.Key).ToList();
            var why = hosts.Select(h => $"{h}: {lab.Ssh(h, "sudo sh -c 'ls /run/khlab/pods; crictl ps; tail -n 5 /run/khlab/log/kube-apiserver.log'").Out}");
            Assert.Fail("not every apiserver backend is UP before the test: " + string.Join(", ", before.Select(b => $"{b.Key}={b.Value}")) + "\n" + string.Join("\n", why));
        }

        try
        {
            await lab.Lab.FaultAsync("node2", LabFault.ApiserverKilled, default);
            Assert.True(await LabFixture.EventuallyAsync(async () =>
            {
                var s = await HaproxyBackendAsync("10.77.0.14");
                return s["node2"].StartsWith("DOWN", StringComparison.Ordinal) && s["node1"] == "UP" && s["node3"] == "UP";
            }, TimeSpan.FromSeconds(10)));
            var (exit, _, err) = await KubectlAsync("get", "nodes");
            Assert.True(exit == 0, err);
        }
        finally
        {
            await lab.Lab.HealAsync("node2", LabFault.ApiserverKilled, default);
        }
        Assert.True(await LabFixture.EventuallyAsync(async () =>
            (await HaproxyBackendAsync("10.77.0.14"))["node2"] == "UP", TimeSpan.FromSeconds(15)));
    }

    private async Task<bool> HoldsVipAsync(string host) =>
        (await lab.ExecAsync(host, "ip -4 -o addr show dev eth0")).Stdout.Contains(LabFixture.Vip + "/", StringComparison.Ordinal);

    [Fact]
    public async Task Keepalived_MasterLoadBalancerDown_VipMovesToBackupAndApiStaysReachable()
    {
        // Both load balancers start as BACKUP with nopreempt: whichever won the first election holds the VIP.
        string? master = null;
        Assert.True(await LabFixture.EventuallyAsync(async () =>
        {
            master = await HoldsVipAsync("node4") ? "node4" : await HoldsVipAsync("node5") ? "node5" : null;
            return master is not null;
        }, TimeSpan.FromSeconds(10)), "no load balancer holds the VIP:\n" + await VipDiagnosticsAsync());
        var backup = master == "node4" ? "node5" : "node4";
        try
        {
            await lab.Lab.FaultAsync(master!, LabFault.HostDown, default);
            Assert.True(await LabFixture.EventuallyAsync(() => HoldsVipAsync(backup), TimeSpan.FromSeconds(15)));
            Assert.True(await LabFixture.EventuallyAsync(async () => (await KubectlAsync("get", "nodes")).Exit == 0, TimeSpan.FromSeconds(15)),
                "API not reachable through the VIP after the failover:\n" + await VipDiagnosticsAsync());
        }
        finally
        {
            await lab.Lab.HealAsync(master!, LabFault.HostDown, default);
        }

        // The recovered host comes back as backup: the VIP stays where it is and the API stays reachable.
        Assert.True(await LabFixture.ApiReachableThroughVipAsync(TimeSpan.FromSeconds(30)), $"API not reachable through the VIP after {master} came back:\n" + await VipDiagnosticsAsync());
        Assert.True(await HoldsVipAsync(backup), $"the VIP moved back to {master} despite nopreempt:\n" + await VipDiagnosticsAsync());
        Assert.False(await HoldsVipAsync(master!), "both load balancers hold the VIP:\n" + await VipDiagnosticsAsync());
    }

    /// <summary>What a failed VIP assertion needs to be understood: who holds the VIP, what listens, what this machine's ARP says.</summary>
    private async Task<string> VipDiagnosticsAsync()
    {
        var lines = new List<string>();
        var neigh = await ProcessText("/usr/sbin/ip", "neigh", "show", LabFixture.Vip);
        lines.Add($"this machine: ip neigh {LabFixture.Vip}: {neigh.Trim()}");
        foreach (var host in new[] { "node4", "node5" })
        {
            var r = await lab.ExecAsync(host, "ip -4 -o addr show dev eth0 | awk '{print $4}' | tr '\\n' ' '; ip -o link show eth0 | grep -o 'link/ether [^ ]*'; " +
                "systemctl is-active haproxy keepalived | tr '\\n' ' '; echo; ss -ltn | grep -E ':6443|:8404' | tr -s ' ' | tr '\\n' ';'");
            lines.Add($"{host}: {r.Stdout.Trim()} {r.Stderr.Trim()}");
        }

        return string.Join('\n', lines);
    }

    private static async Task<string> ProcessText(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return o;
    }
}
