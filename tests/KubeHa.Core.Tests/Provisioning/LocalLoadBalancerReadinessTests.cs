using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Provisioning.Steps;

namespace KubeHa.Core.Tests.Provisioning;

/// <summary>
/// The readiness script runs under <c>sh</c> on hosts (dash on Debian, no /dev/tcp): executed here the same way,
/// with a stand-in <c>systemctl</c> on PATH that records what it was asked to do.
/// </summary>
public sealed class LocalLoadBalancerReadinessTests : IDisposable
{
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("kubeha-readiness-");

    public LocalLoadBalancerReadinessTests()
    {
        var systemctl = Path.Combine(_bin.FullName, "systemctl");
        // "is-active" answers inactive, so the script must start HAProxy; every call is recorded.
        File.WriteAllText(systemctl, $"#!/bin/sh\necho \"$*\" >> {_bin.FullName}/calls\n[ \"$1\" = is-active ] && exit 3\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(systemctl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Script_EndpointListening_StartsHaproxyAndSucceeds()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (exit, stderr) = await RunUnderShAsync(LocalLoadBalancerReadiness.Script(port, waitSeconds: 5).Text);

        Assert.True(exit == 0, stderr);
        Assert.Equal(["is-active --quiet haproxy", "start haproxy"], File.ReadAllLines(Path.Combine(_bin.FullName, "calls")));
    }

    [Fact]
    public async Task Script_NothingListening_FailsWithSpecificMessage()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var (exit, stderr) = await RunUnderShAsync(LocalLoadBalancerReadiness.Script(port, waitSeconds: 1).Text);

        Assert.Equal(1, exit);
        Assert.Contains($"HAProxy does not accept connections on 127.0.0.1:{port} after 1 s", stderr, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Stderr)> RunUnderShAsync(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["PATH"] = $"{_bin.FullName}:/usr/bin:/bin";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr);
    }

    public void Dispose() => _bin.Delete(recursive: true);
}
