using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeHa.Testing.Ssh;

/// <summary>
/// A real OpenSSH server (<c>/usr/sbin/sshd -D -e</c>) on 127.0.0.1 and a free port, with its own freshly generated
/// ed25519 host key and a private config in a temporary directory. Only the khtest-* accounts may log in.
/// Stopped by PID on dispose. Needs root (UsePAM yes, privilege separation).
/// </summary>
public sealed class SshdHost : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _dir;
    private readonly string? _hostname;
    private readonly string? _forceCommand;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private SshdHost(string dir, int port, string? hostname, string? forceCommand)
    {
        _dir = dir;
        _hostname = hostname;
        _forceCommand = forceCommand;
        Port = port;
    }

    public string Address => "127.0.0.1";

    public int Port { get; }

    /// <summary>SHA256 fingerprint of the current host key, as <c>ssh-keygen -lf</c> prints it.</summary>
    public string HostKeyFingerprint { get; private set; } = string.Empty;

    /// <summary>Path of the current public host key.</summary>
    public string HostPublicKeyPath => Path.Combine(_dir, "ssh_host_ed25519_key.pub");

    /// <summary>PID of the running listener.</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>What sshd wrote to stderr so far (useful in assertion messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts an sshd that authorizes <paramref name="users"/>' keys, and waits until it greets clients.</summary>
    public static Task<SshdHost> StartAsync(TestUsers users, CancellationToken cancellationToken = default) =>
        StartAsync(users, hostname: null, cancellationToken);

    /// <summary>
    /// Starts an sshd in its own UTS namespace whose kernel hostname is <paramref name="hostname"/> (any bytes the
    /// kernel accepts, up to 64): what a host whose root set a hostile hostname reports to every command.
    /// </summary>
    public static Task<SshdHost> StartAsync(TestUsers users, string? hostname, CancellationToken cancellationToken = default) =>
        StartAsync(users, hostname, forceCommand: null, cancellationToken);

    /// <summary>
    /// Starts an sshd that runs <paramref name="forceCommand"/> (sshd's ForceCommand) instead of whatever a client asks
    /// for, after a normal login: e.g. <c>sleep 3600</c> is a host that accepts the login, then never answers.
    /// </summary>
    public static async Task<SshdHost> StartAsync(TestUsers users, string? hostname, string? forceCommand, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Sshd))
        {
            throw new InvalidOperationException($"{Sshd} is missing: apt-get install openssh-server.");
        }

        // Privilege separation directory; the packaged service normally creates it.
        Directory.CreateDirectory("/run/sshd");

        var dir = Directory.CreateTempSubdirectory("kubeha-sshd-").FullName;

        // sshd reads authorized_keys as the target user: the directory must be traversable by everyone.
        FileModes.Set(dir, "755");
        var keysDir = Directory.CreateDirectory(Path.Combine(dir, "authorized_keys")).FullName;
        FileModes.Set(keysDir, "755");
        foreach (var user in TestUsers.All)
        {
            var path = Path.Combine(keysDir, user);
            await File.WriteAllTextAsync(path, users.AuthorizedKeys(user), cancellationToken);
            FileModes.Set(path, "644");
        }

        var host = new SshdHost(dir, FreePort(), hostname, forceCommand);
        try
        {
            await host.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Stops sshd, generates a NEW host key and starts again on the same port (a "reinstalled" host).</summary>
    public async Task RestartWithNewHostKeyAsync(CancellationToken cancellationToken = default)
    {
        var before = HostKeyFingerprint;
        await StopAsync();
        File.Delete(Path.Combine(_dir, "ssh_host_ed25519_key"));
        File.Delete(HostPublicKeyPath);
        await StartProcessAsync(cancellationToken);
        if (HostKeyFingerprint == before)
        {
            throw new InvalidOperationException("ssh-keygen produced the same host key twice.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var hostKey = Path.Combine(_dir, "ssh_host_ed25519_key");
        if (!File.Exists(hostKey))
        {
            await ProcessRunner.RunAsync(
                ProcessRunner.Require("ssh-keygen", "openssh-client"),
                ["-t", "ed25519", "-N", string.Empty, "-C", "kubeha-test-host", "-f", hostKey, "-q"],
                cancellationToken: cancellationToken);
        }

        HostKeyFingerprint = await TestUsers.FingerprintAsync(HostPublicKeyPath, cancellationToken);

        var config = Path.Combine(_dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            PidFile {Path.Combine(_dir, "sshd.pid")}
            UsePAM yes
            PubkeyAuthentication yes
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            AuthorizedKeysFile {Path.Combine(_dir, "authorized_keys")}/%u
            StrictModes no
            PermitRootLogin no
            AllowUsers {string.Join(' ', TestUsers.All)}
            MaxStartups 200
            MaxSessions 50
            MaxAuthTries 10
            LoginGraceTime 60
            LogLevel VERBOSE
            Subsystem sftp internal-sftp
            {(_forceCommand is null ? string.Empty : "ForceCommand " + _forceCommand)}

            """, cancellationToken);

        // Validate first: a config error then surfaces as a clear message instead of a start timeout.
        await ProcessRunner.RunAsync(Sshd, ["-t", "-f", config], cancellationToken: cancellationToken);

        // With a hostname: unshare(1) gives sshd its own UTS namespace, the hostname is written to the kernel there,
        // then sh execs sshd (same PID, so stopping by PID still stops it).
        string[] command = _hostname is null
            ? [Sshd, "-D", "-e", "-f", config]
            : ["/usr/bin/unshare", "--uts", "/bin/sh", "-c", "printf %s \"$0\" > /proc/sys/kernel/hostname && exec \"$@\"", _hostname, Sshd, "-D", "-e", "-f", config];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in command[1..])
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        await WaitUntilGreetingAsync(cancellationToken);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitUntilGreetingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"sshd exited with {_process.ExitCode} on start:\n{Log}");
            }

            try
            {
                using var client = new TcpClient();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token);
                var buffer = new byte[64];
                var read = await client.GetStream().ReadAsync(buffer, attempt.Token);
                if (read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-2.0-", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"sshd on port {Port} did not greet within {StartTimeout.TotalSeconds} s:\n{Log}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                // By PID (this Process object), including per-connection children it forked.
                process.Kill(entireProcessTree: true);
            }

            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
