using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Certificates;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.IntegrationTests.Clusters;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Issue 18: a renew-certificates run on seed 000's shape (three stacked control planes behind HAProxy + keepalived on
/// a VIP), 345 days after create on the lab clock. The run renews node1, node2, node3 in turn; meanwhile a real kubectl
/// lists the nodes through the VIP without pause, and not one call may fail. Afterwards every control plane's leaf
/// certificates have a year again (the CAs are untouched), each API server serves its renewed certificate, and the
/// kubeconfig KubeHa keeps is the renewed one and works.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class RenewCertificatesLabTests(ITestOutputHelper output)
{
    private const string Vip = "10.77.1.10";
    private static readonly string[] ControlPlanes = ["node1", "node2", "node3"];

    [Fact]
    public async Task RenewCertificates_Seed000After345Days_YearAgainOnEveryControlPlane_KubectlThroughTheVipNeverFailed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = cts.Token;
        await using var lab = await LabProvisioning.UpAsync(4, ct);
        var clusterId = await lab.AddClusterAsync(
            new ClusterSpec
            {
                LoadBalancerMode = LoadBalancerMode.KeepalivedVip,
                VirtualIp = Vip,
                VirtualIpPrefixLength = 16,
                ControlPlaneEndpointPort = 8443,
            },
            ControlPlanes.Select(h => (h, NodeRole.ControlPlane)).Append(("node4", NodeRole.LoadBalancer)), ct);
        var create = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        Assert.True(create.Status == RunStatus.Succeeded, await lab.DescribeAsync(create, ct));
        var cluster = await lab.ClusterAsync(clusterId, ct);
        var before = lab.Db.Protector.Unprotect(cluster.ProtectedKubeconfig!);

        var options = Options.Create(new ClusterHealthOptions());
        var catalog = new ClusterCatalog(lab.Db.Factory, new ClusterHealthFeedTests.NoScheduler(), new PlanPreviewer(lab.Db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
        var reader = new ClusterCertificateReader(catalog, lab.Shells(), TimeProvider.System, options);
        var kubeconfigFile = Path.GetTempFileName();
        try
        {
            await LabProvisioning.Lab.AdvanceClockAsync(TimeSpan.FromDays(345), ct);
            var aged = (await reader.ReadAsync(clusterId, fresh: true, ct))!;
            Assert.True(aged.Errors.Count == 0, string.Join("; ", aged.Errors));
            Assert.All(aged.Certificates.Where(c => c.Name == "apiserver"), c => Assert.InRange(c.ResidualDays, 18, 20));
            var caBefore = aged.Certificates.Where(c => c.IsAuthority).ToDictionary(c => (c.Host, c.Name), c => c.ExpiresAt);

            // A real kubectl through the VIP, one call after another, for the whole run.
            await File.WriteAllTextAsync(kubeconfigFile, before, ct);
            using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var probe = Task.Run(() => KubectlLoopAsync(kubeconfigFile, stopProbe.Token), CancellationToken.None);

            var clock = Stopwatch.StartNew();
            var renew = await lab.RunPlanAsync(clusterId, PlanCatalog.RenewCertificates, null, ct);
            output.WriteLine($"renew-certificates: {renew.Status} in {clock.Elapsed}");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await stopProbe.CancelAsync();
            var (calls, failures) = await probe;
            output.WriteLine($"kubectl through the VIP during the run: {calls} calls, {failures.Count} failed");
            Assert.True(renew.Status == RunStatus.Succeeded, await lab.DescribeAsync(renew, ct));
            Assert.True(calls >= 10, $"only {calls} kubectl calls ran during the renewal");
            Assert.True(failures.Count == 0, "kubectl through the VIP failed during the renewal:\n" + string.Join("\n", failures.Take(5)));

            // One control plane at a time, in order, each out of HAProxy while its static pods restarted.
            var log = await lab.LogAsync(renew.Id, ct);
            var renewed = log.Where(l => l.Text.StartsWith("$ ", StringComparison.Ordinal) && l.Text.Contains("kubeadm certs renew all", StringComparison.Ordinal))
                .Select(l => l.HostId).ToList();
            Assert.Equal(ControlPlanes.Select(lab.HostId), renewed.Select(h => h!.Value));
            foreach (var node in ControlPlanes)
            {
                Assert.Contains(log, l => l.Text.Contains($"set server kube-apiserver/{node} state maint", StringComparison.Ordinal));
                Assert.Contains(log, l => l.Text.Contains("API server serves the renewed certificate", StringComparison.Ordinal) && l.HostId == lab.HostId(node));
            }

            var after = (await reader.ReadAsync(clusterId, fresh: true, ct))!;
            Assert.True(after.Errors.Count == 0, string.Join("; ", after.Errors));
            Assert.Equal(ControlPlanes, after.Certificates.Select(c => c.Host).Distinct().Order());
            Assert.All(after.Certificates.Where(c => !c.IsAuthority), c => Assert.True(c.ResidualDays is >= 363 and <= 365, $"{c.Host} {c.Name}: {c.ResidualDays} days left"));
            Assert.All(after.Certificates.Where(c => c.IsAuthority), c => Assert.Equal(caBefore[(c.Host, c.Name)], c.ExpiresAt));

            // The kubeconfig KubeHa keeps is the renewed one, and it works through the VIP.
            var stored = lab.Db.Protector.Unprotect((await lab.ClusterAsync(clusterId, ct)).ProtectedKubeconfig!);
            Assert.NotEqual(ClientCertificate(before), ClientCertificate(stored));
            var nodes = await LabProvisioning.NodesReadyAsync(stored, $"https://{Vip}:8443", ct);
            Assert.Equal(ControlPlanes, nodes.Keys.Order());
            Assert.All(nodes, n => Assert.True(n.Value, $"{n.Key} not Ready after the renewal"));
            var backends = await LabProvisioning.HaproxyBackendsAsync("node4", ct);
            Assert.All(ControlPlanes, n => Assert.StartsWith("UP", backends[n], StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(kubeconfigFile);
            using var reset = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await LabProvisioning.Lab.ResetClockAsync(reset.Token);
        }
    }

    private static string ClientCertificate(string kubeconfig) =>
        kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith("client-certificate-data:", StringComparison.Ordinal)).Trim();

    private static async Task<(int Calls, List<string> Failures)> KubectlLoopAsync(string kubeconfig, CancellationToken stop)
    {
        var calls = 0;
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var psi = new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "--server", $"https://{Vip}:8443", "--request-timeout=10s", "get", "nodes", "-o", "name"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            await process.WaitForExitAsync(CancellationToken.None);
            calls++;
            if (process.ExitCode != 0 || !(await stdout).Contains("node/node1", StringComparison.Ordinal))
            {
                failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} exit {process.ExitCode}: {(await stderr).Trim()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        return (calls, failures);
    }
}
