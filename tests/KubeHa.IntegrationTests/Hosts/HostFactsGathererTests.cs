using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Hosts;
using KubeHa.Testing;
using KubeHa.Testing.Ssh;
using static KubeHa.IntegrationTests.Remote.SshTestTargets;

namespace KubeHa.IntegrationTests.Hosts;

[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HostFactsGathererTests(SshdFixture fixture)
{
    [Fact]
    public async Task GatherAsync_ThisMachine_FactsMatchWhatTheMachineSays()
    {
        var hostname = (await ProcessRunner.RunAsync(ProcessRunner.Require("hostname", "hostname"), [])).StandardOutput.Trim();
        using var kubelet = Listen(KubernetesPorts.Kubelet);
        using var session = await Connector().ConnectAsync(Key(fixture.Sshd, fixture.Users.Ed25519), CancellationToken.None);

        var facts = await HostFactsGatherer.GatherAsync(session, TimeProvider.System, CancellationToken.None);

        Assert.Equal(hostname, facts.Hostname);
        Assert.Equal(Environment.ProcessorCount, facts.CpuCount);
        Assert.True(facts.MemoryMb > 0);
        Assert.Equal(await Local("uname", "-r"), facts.Kernel);
        Assert.Equal(await Local("uname", "-m"), facts.Architecture);
        Assert.False(string.IsNullOrEmpty(facts.OsId));
        Assert.NotEmpty(facts.Interfaces);
        Assert.All(facts.Interfaces, i => Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", i.MacAddress));

        // Root-only on real machines (read through sudo); some VMs (Firecracker) have no DMI at all.
        const string ProductUuid = "/sys/class/dmi/id/product_uuid";
        Assert.Equal(File.Exists(ProductUuid) ? (await File.ReadAllTextAsync(ProductUuid)).Trim().ToLowerInvariant() : string.Empty, facts.ProductUuid);
        Assert.Contains(KubernetesPorts.Kubelet, facts.PortsInUse);
        Assert.Equal(File.ReadAllLines("/proc/swaps").Skip(1).Any(l => l.Trim().Length > 0), facts.SwapOn);
        Assert.Equal(await Local("stat", "-fc", "%T", "/sys/fs/cgroup") == "cgroup2fs" ? 2 : 1, facts.CgroupVersion);
        Assert.True(facts.PasswordlessSudo);
    }

    [Fact]
    public async Task GatherAsync_PasswordUser_GathersThroughSudoWithPasswordAndReportsIt()
    {
        using var session = await Connector().ConnectAsync(Password(fixture.Sshd, fixture.Users.Password), CancellationToken.None);

        var facts = await HostFactsGatherer.GatherAsync(session, TimeProvider.System, CancellationToken.None);

        Assert.False(facts.PasswordlessSudo);
        Assert.False(string.IsNullOrEmpty(facts.Hostname));
        Assert.True(facts.MemoryMb > 0);
    }

    private static async Task<string> Local(string tool, params string[] args) =>
        (await ProcessRunner.RunAsync(ProcessRunner.Require(tool, "coreutils"), args)).StandardOutput.Trim();

    private static TcpListener? Listen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Someone already listens there: the port is in use either way.
            return null;
        }
    }
}
