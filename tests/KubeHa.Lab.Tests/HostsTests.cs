using Renci.SshNet;

namespace KubeHa.Lab.Tests;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class HostsTests(LabFixture lab)
{
    [Fact]
    public void Facts_EachHost_ReportsDistinctMacUuidAndHostname()
    {
        var seen = new List<(string Mac, string Uuid, string Hostname)>();
        foreach (var h in lab.Inventory.Hosts)
        {
            var (exit, output, err) = lab.Ssh(h.Name,
                "hostname; cat /sys/class/net/eth0/address; sudo cat /sys/class/dmi/id/product_uuid; nproc; stat -fc %T /sys/fs/cgroup; ss -Hltn");
            Assert.True(exit == 0, err);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(h.Name, lines[0]);
            Assert.Equal(h.Mac, lines[1]);
            Assert.Equal(h.ProductUuid, lines[2]);
            Assert.Equal("2", lines[3]);
            Assert.Equal("cgroup2fs", lines[4]);
            Assert.Contains($"{h.Ip}:22", string.Join('\n', lines.Skip(5)), StringComparison.Ordinal);
            seen.Add((lines[1], lines[2], lines[0]));
        }
        Assert.Equal(seen.Count, seen.Select(s => s.Mac).Distinct().Count());
        Assert.Equal(seen.Count, seen.Select(s => s.Uuid).Distinct().Count());
        Assert.Equal(seen.Count, seen.Select(s => s.Hostname).Distinct().Count());
    }

    [Fact]
    public void HostKey_PresentedBySshd_MatchesInventory()
    {
        var h = lab.Inventory["node2"];
        var expected = File.ReadAllText(h.HostKeyPath).Split(' ')[1];
        using var key = new PrivateKeyFile(h.PrivateKeyPath);
        using var client = new SshClient(h.Ip, h.SshPort, h.User, key);
        string? presented = null;
        client.HostKeyReceived += (_, e) => { presented = Convert.ToBase64String(e.HostKey); e.CanTrust = true; };
        client.Connect();
        Assert.Equal(expected, presented);
    }

    [Fact]
    public void PasswordUser_SudoWithPassword_RunsAsRootAndRejectsWithout()
    {
        var h = lab.Inventory["node3"];
        using var client = new SshClient(h.Ip, h.SshPort, h.PasswordUser, h.Password);
        client.Connect();
        using var ok = client.RunCommand($"echo '{h.Password}' | sudo -S -p '' id -u");
        Assert.Equal("0", ok.Result.Trim());
        using var denied = client.RunCommand("sudo -n id -u");
        Assert.NotEqual(0, denied.ExitStatus);
    }

    [Fact]
    public async Task PrivatePaths_WrittenOnOneHost_InvisibleOnOthersAndOnTheMachine()
    {
        string[] paths =
        [
            "/etc/kubernetes/khlab-probe", "/etc/haproxy/khlab-probe", "/etc/keepalived/khlab-probe",
            "/etc/containerd/khlab-probe", "/etc/sysctl.d/khlab-probe", "/etc/modules-load.d/khlab-probe",
            "/etc/apt/sources.list.d/khlab-probe", "/etc/apt/keyrings/khlab-probe", "/var/lib/kubelet/khlab-probe",
            "/var/lib/etcd/khlab-probe", "/run/khlab-probe", "/home/kubeha/khlab-probe",
        ];
        var write = string.Join("; ", paths.Select(p => $"sudo mkdir -p $(dirname {p}) && echo node4 | sudo tee {p} >/dev/null"));
        var (exit, _, err) = lab.Ssh("node4", write + "; sudo sed -i 's/^\\/swap.img/#&/' /etc/fstab; echo node4 | sudo tee /etc/hostname >/dev/null");
        Assert.True(exit == 0, err);

        var check = string.Join("; ", paths.Select(p => $"cat {p} 2>/dev/null || echo missing"));
        var (_, own, _) = lab.Ssh("node4", check);
        Assert.Equal(paths.Length, own.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l == "node4"));
        var (_, other, _) = lab.Ssh("node5", check + "; grep -c '^/swap.img' /etc/fstab");
        var otherLines = other.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(otherLines.Take(paths.Length), l => Assert.Equal("missing", l));
        Assert.Equal("1", otherLines[^1]);
        Assert.All(paths, p => Assert.False(File.Exists(p), p + " leaked to the machine"));

        var fstab = await lab.ExecAsync("node4", "grep -c '^#/swap.img' /etc/fstab");
        Assert.Equal("1", fstab.Stdout.Trim());
    }

    [Fact]
    public async Task Network_HostsReachEachOther_AndHaveNoRouteOffTheLab()
    {
        var ping = await lab.ExecAsync("node1", "exec 3<>/dev/tcp/10.77.0.12/22 && head -c 7 <&3");
        Assert.Equal("SSH-2.0", ping.Stdout);
        var routes = await lab.ExecAsync("node1", "ip route show default; ip -o addr show eth0 | awk '{print $4}' | head -1");
        Assert.Contains("default via 10.77.255.254 dev eth0", routes.Stdout, StringComparison.Ordinal);
        Assert.Contains("10.77.0.11/16", routes.Stdout, StringComparison.Ordinal);
    }
}
