using System.Diagnostics;
using KubeHa.Core.Clusters.Health;
using KubeHa.Testing;
using KubeHa.Testing.LoadBalancing;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>The etcd parser against what the machine's real etcdctl prints for a real single-member etcd on loopback.</summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlOutputRealEtcdTests
{
    [Fact]
    public async Task ParseMembers_RealEtcdctlOutput_OneStartedHealthyMember()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var dir = Directory.CreateTempSubdirectory("kubeha-etcd-");
        var (client, peer) = ($"http://127.0.0.1:{HaproxyProcess.FreePort()}", $"http://127.0.0.1:{HaproxyProcess.FreePort()}");
        var info = new ProcessStartInfo(ProcessRunner.Require("etcd", "etcd-server")) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
                 {
                     "--name", "node1", "--data-dir", Path.Combine(dir.FullName, "data"), "--listen-client-urls", client, "--advertise-client-urls", client,
                     "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"node1={peer}",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        using var etcd = Process.Start(info)!;
        etcd.BeginErrorReadLine();
        etcd.BeginOutputReadLine();
        try
        {
            var etcdctl = ProcessRunner.Require("etcdctl", "etcd-client");
            ProcessResult health;
            while ((health = await ProcessRunner.RunAsync(etcdctl, ["--endpoints", client, "endpoint", "health", "--cluster"], check: false, cancellationToken: cts.Token)).ExitCode != 0)
            {
                await Task.Delay(100, cts.Token);
            }

            var list = await ProcessRunner.RunAsync(etcdctl, ["--endpoints", client, "member", "list"], cancellationToken: cts.Token);

            var member = Assert.Single(EtcdctlOutput.ParseMembers(list.StandardOutput, health.StandardOutput + health.StandardError));
            Assert.Equal("node1", member.Name);
            Assert.True(member.Started);
            Assert.False(member.IsLearner);
            Assert.Equal(client, member.ClientUrl);
            Assert.Equal(peer, member.PeerUrl);
            Assert.True(member.Healthy);
            Assert.Contains("committed proposal", member.HealthDetail, StringComparison.Ordinal);
        }
        finally
        {
            etcd.Kill();
            await etcd.WaitForExitAsync(CancellationToken.None);
            dir.Delete(recursive: true);
        }
    }
}
