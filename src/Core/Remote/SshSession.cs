using System.Text;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using KubeHa.Core.Security;

namespace KubeHa.Core.Remote;

/// <summary>
/// One authenticated SSH connection to one host, reused for every command of a check or a provisioning run.
/// Output is streamed line by line with secrets masked. Not thread-safe for concurrent sudo probing; commands may run
/// concurrently (each opens its own channel).
/// </summary>
public sealed partial class SshSession : IDisposable
{
    private const string SudoTag = "kubeha-sudo:";

    private readonly SshClient _client;
    private readonly AuthenticationMethod[] _authentication;
    private readonly ILogger _logger;
    private volatile KnownSecretMasker _masker;
    private IReadOnlyList<string> _secrets;
    private SudoMode? _sudo;

    internal SshSession(SshClient client, SshTarget target, HostKeyInfo hostKey, AuthenticationMethod[] authentication, ILogger logger)
    {
        _client = client;
        _authentication = authentication;
        _logger = logger;
        Target = target;
        HostKey = hostKey;
        _secrets = target.Credential.Secrets.ToList();
        _masker = new KnownSecretMasker(_secrets);
    }

    /// <summary>
    /// Adds secrets that appear in this session's output or commands (a bootstrap token, a certificate key KubeHa
    /// generated): from now on they are masked like the credential's own.
    /// </summary>
    public void AddKnownSecrets(IEnumerable<string> secrets)
    {
        lock (_client)
        {
            _secrets = [.. _secrets, .. secrets.Where(s => !string.IsNullOrEmpty(s))];
            _masker = new KnownSecretMasker(_secrets);
        }
    }

    public SshTarget Target { get; }

    /// <summary>The key the host presented (equal to the pin when one was set).</summary>
    public HostKeyInfo HostKey { get; }

    /// <summary>True when no key was pinned: the caller should pin <see cref="HostKey"/> now.</summary>
    public bool IsFirstContact => Target.PinnedHostKeyFingerprint is null;

    /// <summary>How root is reached, once <see cref="EnsureSudoAsync"/> has run.</summary>
    public SudoMode? Sudo => _sudo;

    /// <summary>Masks this session's secrets in any text (for messages built from remote output).</summary>
    public string Mask(string text) => _masker.Apply(text);

    /// <summary>
    /// Runs a command as the login user, streaming lines to <paramref name="onLine"/> as they arrive. The callback is
    /// invoked from two worker threads (stdout and stderr) and may run concurrently with itself: make it thread-safe.
    /// </summary>
    public Task<RemoteCommandResult> RunAsync(ShellScript command, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken) =>
        ExecuteAsync(command.Text, standardInput: null, onLine, cancellationToken);

    /// <summary>Runs a POSIX sh script as root (directly when logged in as root, else through sudo).</summary>
    public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken) =>
        RunAsRootAsync(script, standardInput: null, onLine, cancellationToken);

    /// <summary>
    /// Runs a POSIX sh script as root with <paramref name="standardInput"/> on its stdin (closed afterwards): how file
    /// contents, which may hold secrets, reach a host without appearing in a command line.
    /// </summary>
    public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken) =>
        RunAsRootAsync(script, standardInput, onLine, maskStdout: true, cancellationToken);

    /// <summary>
    /// Reads data as root (a kubeconfig, a certificate, a stats CSV): stdout comes back exactly as the host printed it,
    /// since masking by shape would corrupt it (a kubeconfig's key data). The caller must never log it; stderr is masked.
    /// </summary>
    public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken) =>
        RunAsRootAsync(script, standardInput: null, onLine: null, maskStdout: false, cancellationToken);

    private async Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, bool maskStdout, CancellationToken cancellationToken)
    {
        var mode = await EnsureSudoAsync(cancellationToken);
        ShellScript command = mode switch
        {
            SudoMode.Root => script,
            SudoMode.Passwordless => $"sudo -n -- sh -c {script.Text}",

            // -k: always prompt, so the password line on stdin is always consumed by sudo and never reaches the command.
            _ => $"sudo -S -k -p '' -- sh -c {script.Text}",
        };
        var input = mode == SudoMode.WithPassword ? Target.Credential.Password + "\n" + standardInput : standardInput;
        return await ExecuteAsync(command.Text, input, onLine, cancellationToken, maskStdout);
    }

    /// <summary>
    /// Finds out how to become root: <c>sudo -n</c>; else, with a password credential, <c>sudo -S</c> fed the password on
    /// stdin; else <see cref="HostCheckErrorKind.SudoRequiresPassword"/>.
    /// </summary>
    public async Task<SudoMode> EnsureSudoAsync(CancellationToken cancellationToken)
    {
        if (_sudo is { } known)
        {
            return known;
        }

        const string Probe =
            "if [ \"$(id -u)\" = 0 ]; then echo " + SudoTag + "root; " +
            "elif ! command -v sudo >/dev/null 2>&1; then echo " + SudoTag + "missing; " +
            "elif sudo -k -n true 2>/dev/null; then echo " + SudoTag + "nopasswd; " +
            "else echo " + SudoTag + "password; fi";
        var probe = await ExecuteAsync(Probe, null, null, cancellationToken);
        var answer = probe.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(SudoTag, StringComparison.Ordinal))?[SudoTag.Length..];

        SudoMode mode;
        switch (answer)
        {
            case "root":
                mode = SudoMode.Root;
                break;
            case "nopasswd":
                mode = SudoMode.Passwordless;
                break;
            case "missing":
                throw new HostCheckException(HostCheckErrorKind.CommandFailed, Target.HostPort, Target.Username,
                    $"sudo is not installed on {Target.HostPort} and {Target.Username} is not root.");
            case "password" when Target.Credential.Kind == CredentialKind.Password:
                var withPassword = await ExecuteAsync("sudo -S -k -p '' -- true", Target.Credential.Password + "\n", null, cancellationToken);
                if (!withPassword.Succeeded)
                {
                    throw new HostCheckException(HostCheckErrorKind.SudoRequiresPassword, Target.HostPort, Target.Username,
                        $"sudo on {Target.HostPort} asks {Target.Username} for a password and rejected the stored one: allow passwordless sudo or store the right password.");
                }

                mode = SudoMode.WithPassword;
                break;
            case "password":
                throw new HostCheckException(HostCheckErrorKind.SudoRequiresPassword, Target.HostPort, Target.Username,
                    $"sudo on {Target.HostPort} asks {Target.Username} for a password, and a key credential has none: allow passwordless sudo (NOPASSWD) for {Target.Username} or use a password credential.");
            default:
                throw new RemoteCommandFailedException(Target, "sudo probe", probe);
        }

        LogSudo(_logger, Target.HostPort, Target.Username, mode);
        _sudo = mode;
        return mode;
    }

    private async Task<RemoteCommandResult> ExecuteAsync(
        string command, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken, bool maskStdout = true)
    {
        SshCommand cmd;
        Task execution;
        try
        {
            // Opening the channel is synchronous: a host that went away fails here (SshOperationTimeoutException,
            // SshConnectionException), before the command runs. Typed like a broken connection, so it is retried.
            cmd = _client.CreateCommand(command, Encoding.UTF8);
            execution = cmd.ExecuteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            throw new HostCheckException(HostCheckErrorKind.Unreachable, Target.HostPort, Target.Username,
                $"The SSH connection to {Target.HostPort} broke before a command could start ({ex.GetType().Name}).", ex);
        }

        using var disposeCmd = cmd;
        var output = new StringBuilder();
        var errors = new Queue<string>();

        // SSH.NET's output pipes are read synchronously; pump each on its own long-running worker.
        var stdout = Pump(cmd.OutputStream, RemoteStream.Stdout, maskStdout, line =>
        {
            lock (output)
            {
                output.Append(line).Append('\n');
                if (output.Length > RemoteCommandLimits.MaxOutputChars)
                {
                    output.Remove(0, output.Length - RemoteCommandLimits.MaxOutputChars);
                }
            }
        });
        var stderr = Pump(cmd.ExtendedOutputStream, RemoteStream.Stderr, mask: true, line =>
        {
            lock (errors)
            {
                errors.Enqueue(line);
                while (errors.Count > RemoteCommandLimits.TailLines)
                {
                    errors.Dequeue();
                }
            }
        });

        if (standardInput is not null)
        {
            using var input = cmd.CreateInputStream();
            await input.WriteAsync(Encoding.UTF8.GetBytes(standardInput), cancellationToken);
        }

        try
        {
            await execution;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(_logger, Target.HostPort);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not HostCheckException)
        {
            throw new HostCheckException(HostCheckErrorKind.Unreachable, Target.HostPort, Target.Username,
                $"The SSH connection to {Target.HostPort} broke while running a command ({ex.GetType().Name}).", ex);
        }

        await Task.WhenAll(stdout, stderr);
        string errorTail;
        lock (errors)
        {
            errorTail = string.Join('\n', errors);
        }

        return new RemoteCommandResult(cmd.ExitStatus ?? -1, output.ToString(), errorTail);

        Task Pump(Stream stream, RemoteStream kind, bool mask, Action<string> keep) => Task.Factory.StartNew(
            () =>
            {
                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
                var masker = new SecretLineMasker(text => _masker.Apply(text)); // state across lines: key blocks, values on the next line
                try
                {
                    while (reader.ReadLine() is { } raw)
                    {
                        var line = mask ? masker.Apply(raw.TrimEnd('\r')) : raw.TrimEnd('\r');
                        keep(line);
                        onLine?.Invoke(new RemoteOutputLine(kind, line));
                    }
                }
                catch (ObjectDisposedException)
                {
                    // The command was disposed (cancelled); the stream ends here.
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected)
            {
                _client.Disconnect();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the server may already have closed the connection.
        }

        _client.Dispose();
        SshConnector.DisposeAll(_authentication);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Root on {HostPort} as {Username} through {Mode}")]
    private static partial void LogSudo(ILogger logger, string hostPort, string username, SudoMode mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command on {HostPort} cancelled")]
    private static partial void LogCancelled(ILogger logger, string hostPort);
}
