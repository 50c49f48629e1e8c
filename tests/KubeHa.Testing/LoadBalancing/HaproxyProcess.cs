using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KubeHa.Testing.LoadBalancing;

/// <summary>
/// A real HAProxy (the machine's /usr/sbin/haproxy, foreground) on loopback with an admin stats socket in a temp
/// directory: backend "kube-apiserver" with one server per given port (TCP checks every 200 ms, one failure marks DOWN),
/// the last one in maintenance when <c>maintLast</c>. Stopped by PID on dispose.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    private HaproxyProcess(Process process, DirectoryInfo dir)
    {
        _process = process;
        _dir = dir;
    }

    public string StatsSocket => Path.Combine(_dir.FullName, "admin.sock");

    public static async Task<HaproxyProcess> StartAsync(IReadOnlyList<(string Name, int Port)> servers, bool maintLast, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("kubeha-haproxy-");
        var lines = servers.Select((s, i) =>
            $"    server {s.Name} 127.0.0.1:{s.Port} check{(maintLast && i == servers.Count - 1 ? " disabled" : string.Empty)}");
        var config = $"""
            global
                stats socket {dir.FullName}/admin.sock mode 600 level admin
            defaults
                mode tcp
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            frontend kube-apiserver
                bind 127.0.0.1:{FreePort()}
                default_backend kube-apiserver
            backend kube-apiserver
                default-server inter 200ms fall 1 rise 1
            {string.Join('\n', lines)}

            """;
        var path = Path.Combine(dir.FullName, "haproxy.cfg");
        await File.WriteAllTextAsync(path, config, cancellationToken);
        var info = new ProcessStartInfo(ProcessRunner.Require("haproxy", "haproxy")) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-db", "-f", path })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var haproxy = new HaproxyProcess(process, dir);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!File.Exists(haproxy.StatsSocket))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await haproxy.DisposeAsync();
                throw new InvalidOperationException("haproxy did not open its stats socket");
            }

            await Task.Delay(50, cancellationToken);
        }

        return haproxy;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        _dir.Delete(recursive: true);
    }
}
