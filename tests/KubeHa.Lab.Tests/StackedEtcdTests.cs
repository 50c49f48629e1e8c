using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using KubeHa.Lab;
using Xunit.Abstractions;

namespace KubeHa.Lab.Tests;

/// <summary>
/// The stacked etcd of the fixture's control planes is real etcd, driven as kubeadm's documentation does it: over SSH,
/// with etcdctl inside the etcd container (`crictl exec`), `kubeadm reset` and `kubeadm join --control-plane`.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class StackedEtcdTests(LabFixture lab, ITestOutputHelper output)
{
    private const string EtcdctlFlags = "--endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt " +
                                        "--cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key";

    private (int Exit, string Out, string Err) Etcdctl(string host, string args) =>
        lab.Ssh(host, $"sudo crictl exec $(sudo crictl ps -q --name etcd) etcdctl {EtcdctlFlags} {args}");

    private List<(string Name, string PeerUrl, bool Learner)> Members(string host)
    {
        var r = Etcdctl(host, "member list -w json");
        Assert.True(r.Exit == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.GetProperty("members").EnumerateArray()
            .Select(m => (m.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "", m.GetProperty("peerURLs")[0].GetString()!,
                m.TryGetProperty("isLearner", out var l) && l.GetBoolean()))
            .OrderBy(m => m.Item1, StringComparer.Ordinal).ToList();
    }

    private string NewCertificateKey()
    {
        var upload = lab.Ssh("node1", "sudo kubeadm init phase upload-certs --upload-certs");
        Assert.True(upload.Exit == 0, upload.Err);
        return upload.Out.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>A fresh token: other tests of the collection move the lab clock past the init token's TTL.</summary>
    private (int Exit, string Out, string Err) JoinControlPlane(string host, string ip, string certificateKey)
    {
        var token = lab.Ssh("node1", "sudo kubeadm token create");
        Assert.True(token.Exit == 0, token.Err);
        return lab.Ssh(host, $"sudo kubeadm join {LabFixture.Vip}:6443 --token {token.Out.Trim()} --discovery-token-ca-cert-hash {lab.CaCertHash} " +
                             $"--control-plane --certificate-key {certificateKey} --apiserver-advertise-address {ip}");
    }

    private Task<bool> ClusterHealthyAsync(int members) => LabFixture.EventuallyAsync(() =>
    {
        var r = Etcdctl("node1", "endpoint health --cluster");
        // etcdctl 3.4 (the machine's) prints health results on stderr, 3.5 healthy ones on stdout.
        return Task.FromResult(r.Exit == 0 && (r.Out + r.Err).Split('\n').Count(l => l.Contains(" is healthy: successfully committed proposal", StringComparison.Ordinal)) == members);
    }, TimeSpan.FromSeconds(60));

    private static bool Accepts(string ip, int port)
    {
        using var tcp = new TcpClient();
        try
        {
            return tcp.ConnectAsync(ip, port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    [Fact]
    public void MemberList_ThreeStackedControlPlanes_RealVotingMembersThatReplicateAndStaySmall()
    {
        Assert.Equal(
            [("node1", "https://10.77.0.11:2380", false), ("node2", "https://10.77.0.12:2380", false), ("node3", "https://10.77.0.13:2380", false)],
            Members("node2"));
        var health = Etcdctl("node1", "endpoint health --cluster");
        Assert.True(health.Exit == 0, health.Err);
        foreach (var ip in new[] { "10.77.0.11", "10.77.0.12", "10.77.0.13" })
            Assert.Contains($"https://{ip}:2379 is healthy: successfully committed proposal", health.Out + health.Err, StringComparison.Ordinal);

        // A write on one member is read back from another: a replicated key-value store, not a listener.
        var key = "/khlab/probe-" + Guid.NewGuid().ToString("N");
        Assert.Equal(0, Etcdctl("node1", $"put {key} written-on-node1").Exit);
        var read = Etcdctl("node3", $"get {key}");
        Assert.True(read.Exit == 0, read.Err);
        Assert.Equal($"{key}\nwritten-on-node1", read.Out.Trim());
        Etcdctl("node1", $"del {key}");

        // Three real members stay small: about 130 MB resident together on a fresh cluster, up to ~155 MB after the
        // collection's other tests have written to them (Go's heap grows with the revisions kept). The figure is
        // printed; the bound catches a runaway (a leak, a member started twice), not a few MB of garbage-collector slack.
        long rssKb = 0;
        foreach (var host in LabFixture.ControlPlanes)
        {
            var pid = File.ReadAllText(Path.Combine(lab.Inventory.StateDir, "hosts", host, "run", "khlab", "pods", "etcd.pid")).Trim();
            Assert.EndsWith("/usr/bin/etcd", File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0], StringComparison.Ordinal);
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            rssKb += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        output.WriteLine($"3 etcd members use {rssKb / 1024} MB RSS together");
        Assert.True(rssKb < 200 * 1024, $"3 etcd members use {rssKb} kB RSS");
    }

    [Fact]
    public async Task Reset_ControlPlane_RemovesItsEtcdMemberAndRejoinAddsItBack()
    {
        try
        {
            var reset = lab.Ssh("node3", "sudo kubeadm reset -f");
            Assert.True(reset.Exit == 0, reset.Err + reset.Out);
            Assert.Equal(["node1", "node2"], Members("node1").Select(m => m.Name));
            Assert.True(await ClusterHealthyAsync(2));

            var join = JoinControlPlane("node3", "10.77.0.13", NewCertificateKey());
            Assert.True(join.Exit == 0, join.Err + join.Out);
            Assert.Contains("[check-etcd] Checking that the etcd cluster is healthy", join.Out, StringComparison.Ordinal);
            Assert.Contains("[etcd] Announced new etcd member joining to the existing etcd cluster", join.Out, StringComparison.Ordinal);
            Assert.Contains("[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s", join.Out, StringComparison.Ordinal);
            // kubeadm 1.30 adds the member as a learner and promotes it once it has caught up.
            Assert.Equal([("node1", false), ("node2", false), ("node3", false)], Members("node1").Select(m => (m.Name, m.Learner)));
            Assert.Contains("--initial-cluster-state=existing", lab.Ssh("node3", "sudo cat /etc/kubernetes/manifests/etcd.yaml").Out, StringComparison.Ordinal);
            Assert.True(await ClusterHealthyAsync(3));
        }
        finally
        {
            // The rest of the collection needs node3 as a control plane again.
            if (lab.Ssh("node3", "test -f /etc/kubernetes/admin.conf").Exit != 0)
            {
                lab.Ssh("node3", "sudo kubeadm reset -f");
                JoinControlPlane("node3", "10.77.0.13", NewCertificateKey());
            }
        }
    }

    [Fact]
    public async Task HostDown_ControlPlane_EverythingOfItIsGoneAndAControlPlaneJoinIsRefusedByCheckEtcd()
    {
        var key = NewCertificateKey();
        await lab.Lab.FaultAsync("node3", LabFault.HostDown, default);
        try
        {
            Assert.ThrowsAny<Exception>(() => lab.Connect("node3").Dispose());
            foreach (var port in new[] { 6443, 2379, 10250 }) Assert.False(Accepts("10.77.0.13", port), $"10.77.0.13:{port} still accepts");
            var health = Etcdctl("node1", "endpoint health --cluster");
            Assert.Equal(1, health.Exit);
            Assert.Contains("https://10.77.0.13:2379 is unhealthy", health.Err, StringComparison.Ordinal);

            // As kubeadm: check-etcd needs every member to answer, so a dead member blocks a control-plane join
            // until someone removes it with etcdctl.
            var join = JoinControlPlane("node7", "10.77.0.17", key);
            Assert.Equal(1, join.Exit);
            Assert.Contains("error execution phase check-etcd: etcd cluster is not healthy: failed to dial endpoint https://10.77.0.13:2379 with maintenance client: context deadline exceeded",
                join.Err, StringComparison.Ordinal);
            Assert.Equal(3, Members("node1").Count);
        }
        finally
        {
            lab.Ssh("node7", "sudo kubeadm reset -f");
            await lab.Lab.HealAsync("node3", LabFault.HostDown, default);
        }
        // The host boots, its kubelet starts the etcd static pod again and the member rejoins from its data.
        Assert.True(await ClusterHealthyAsync(3));
    }
}
