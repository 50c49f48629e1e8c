using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeHa.Lab.Tests;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class FaultsTests(LabFixture lab)
{
    private string? PresentedHostKey(string host)
    {
        var h = lab.Inventory[host];
        using var key = new PrivateKeyFile(h.PrivateKeyPath);
        using var client = new SshClient(h.Ip, h.SshPort, h.User, key);
        string? presented = null;
        client.HostKeyReceived += (_, e) => { presented = Convert.ToBase64String(e.HostKey); e.CanTrust = true; };
        client.Connect();
        return presented;
    }

    [Fact]
    public async Task HostKeyChanged_SshdPresentsNewKey_HealRestoresOriginal()
    {
        var original = PresentedHostKey("node7");
        try
        {
            await lab.Lab.FaultAsync("node7", LabFault.HostKeyChanged, default);
            Assert.NotEqual(original, PresentedHostKey("node7"));
        }
        finally
        {
            await lab.Lab.HealAsync("node7", LabFault.HostKeyChanged, default);
        }
        Assert.Equal(original, PresentedHostKey("node7"));
    }

    [Fact]
    public async Task SshDrop_CommandInFlight_SessionIsCutAndHostStaysReachable()
    {
        using var client = lab.Connect("node7");
        using var cmd = client.CreateCommand("echo started; sleep 60; echo finished");
        var run = cmd.BeginExecute();
        await LabFixture.EventuallyAsync(async () => (await lab.ExecAsync("node7", "pgrep -f 'sleep 60'")).Succeeded, TimeSpan.FromSeconds(10));
        await lab.Lab.FaultAsync("node7", LabFault.SshDrop, default);
        var ended = await LabFixture.EventuallyAsync(() => Task.FromResult(run.IsCompleted || !client.IsConnected), TimeSpan.FromSeconds(15));
        Assert.True(ended);
        string? result = null;
        try { result = cmd.EndExecute(run); } catch (SshException) { } catch (ObjectDisposedException) { }
        Assert.DoesNotContain("finished", result ?? "", StringComparison.Ordinal);
        Assert.Equal(0, lab.Ssh("node7", "true").Exit);
    }

    [Fact]
    public async Task NetworkCut_HostUnreachable_HealRestoresSsh()
    {
        try
        {
            await lab.Lab.FaultAsync("node7", LabFault.NetworkCut, default);
            using var tcp = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<Exception>(async () => await tcp.ConnectAsync("10.77.0.17", 22, cts.Token));
        }
        finally
        {
            await lab.Lab.HealAsync("node7", LabFault.NetworkCut, default);
        }
        Assert.True(await LabFixture.EventuallyAsync(() => Task.FromResult(lab.Ssh("node7", "hostname").Out.Trim() == "node7"), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SwapOn_ProcSwapsAndMeminfoShowSwap_SwapoffClearsIt()
    {
        try
        {
            await lab.Lab.FaultAsync("node7", LabFault.SwapOn, default);
            var on = lab.Ssh("node7", "tail -n +2 /proc/swaps | wc -l; grep SwapTotal /proc/meminfo");
            Assert.StartsWith("1\n", on.Out, StringComparison.Ordinal);
            Assert.Matches(@"SwapTotal:\s+2097148 kB", on.Out);
        }
        finally
        {
            lab.Ssh("node7", "sudo swapoff -a");
        }
        var off = lab.Ssh("node7", "tail -n +2 /proc/swaps | wc -l");
        Assert.Equal("0", off.Out.Trim());
    }

    [Fact]
    public void Systemctl_UnitOfMissingPackage_NotFoundThenRunsAfterApt()
    {
        var missing = lab.Ssh("node7", "systemctl status keepalived; echo rc=$?");
        Assert.Contains("Unit keepalived.service could not be found.", missing.Err, StringComparison.Ordinal);
        Assert.Contains("rc=4", missing.Out, StringComparison.Ordinal);
        var badStart = lab.Ssh("node7", "sudo apt-get install -y haproxy >/dev/null && echo 'garbage line' | sudo tee -a /etc/haproxy/haproxy.cfg >/dev/null && sudo systemctl start haproxy; echo rc=$?");
        Assert.Contains("Job for haproxy.service failed because the control process exited with error code.", badStart.Err, StringComparison.Ordinal);
        Assert.Contains("rc=1", badStart.Out, StringComparison.Ordinal);
        var failed = lab.Ssh("node7", "systemctl is-active haproxy; sudo apt-get remove -y haproxy >/dev/null; command -v /usr/sbin/haproxy || echo gone");
        Assert.Equal("failed\ngone", failed.Out.Trim());
    }
}
