using KubeHa.Core.Clusters;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// A step's handle on one host for one run: runs scripts as root over the run's single connection to the host,
/// streams every stdout/stderr line (masked) to the run's log sink as it arrives, and fails typed. In a dry run the
/// same calls record "would run: ..." instead, through the same step code.
/// </summary>
public sealed class HostSession : IDisposable
{
    private readonly IHostShell _shell;
    private readonly IRunLogSink _sink;

    public HostSession(ClusterMember host, PlanContext context, IHostShell shell, IRunLogSink sink)
    {
        Host = host;
        Context = context;
        _shell = shell;
        _sink = sink;
        _shell.AddKnownSecrets(context.Join.Secrets);
    }

    public ClusterMember Host { get; }

    public PlanContext Context { get; }

    public bool IsDryRun => _shell.IsDryRun;

    /// <summary>The facts gathered on this host at the start of this attempt.</summary>
    public NodeState State => Context.StateOf(Host.HostId);

    /// <summary>The name this host has as a Kubernetes node.</summary>
    public string NodeName => Context.NodeName(Host);

    /// <summary>Masks these (a token or key just generated) before they are used.</summary>
    public void AddKnownSecrets(IEnumerable<string> secrets) => _shell.AddKnownSecrets(secrets);

    /// <summary>Runs a script as root; throws <see cref="StepFailedException"/> on a non-zero exit.</summary>
    public async Task<RemoteCommandResult> RunAsync(ShellScript script, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(script, cancellationToken);
        if (!result.Succeeded)
        {
            throw Failed(script.Text, result);
        }

        return result;
    }

    /// <summary>Runs a script as root and returns its result whatever the exit code.</summary>
    public Task<RemoteCommandResult> TryRunAsync(ShellScript script, CancellationToken cancellationToken) =>
        ExecuteAsync(script, null, Describe(script.Text), cancellationToken);

    /// <summary>Writes a file as root, atomically, its content on stdin (never on a command line, never logged).</summary>
    /// <param name="mode">Octal file mode, e.g. "600".</param>
    public async Task UploadAsync(string path, string content, string mode, CancellationToken cancellationToken)
    {
        if (mode.Length is < 3 or > 4 || !mode.All(c => c is >= '0' and <= '7'))
        {
            throw new ArgumentException($"'{mode}' is not an octal file mode like 600.", nameof(mode));
        }

        var dir = Path.GetDirectoryName(path) ?? "/";
        var tmp = path + ".kubeha-new";
        ShellScript script = $"umask 077 && mkdir -p {dir} && cat > {tmp} && chmod {mode} {tmp} && mv -f {tmp} {path}";
        var result = await ExecuteAsync(script, content, [$"write {path} ({content.Length} bytes, mode {mode})"], cancellationToken);
        if (IsDryRun && !path.Contains("/pki", StringComparison.Ordinal) && !path.EndsWith(".key", StringComparison.Ordinal) && !path.EndsWith(".b64", StringComparison.Ordinal))
        {
            // The plan preview shows what would be written (configuration, manifests); key material never.
            _sink.WriteFile(Context.CurrentStepKey, Host.HostId, path, _shell.Mask(content));
        }

        if (!result.Succeeded)
        {
            throw Failed($"write {path}", result);
        }
    }

    /// <summary>Reads a file as root; null when it does not exist, or in a dry run.</summary>
    public async Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        ShellScript script = $"cat {path}";
        var result = await ExecuteAsync(script, null, [$"read {path}"], cancellationToken, echoOutput: false);
        return result.Succeeded && !IsDryRun ? result.Output : null;
    }

    /// <summary>
    /// Runs a script whose output is data, not log (facts, certificates, stats): only <paramref name="description"/> is
    /// logged; throws on failure. In a dry run the output is empty.
    /// </summary>
    public async Task<string> QueryAsync(string description, ShellScript script, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(script, null, [description], cancellationToken, echoOutput: false);
        if (!result.Succeeded)
        {
            throw Failed(description, result);
        }

        return result.Output;
    }

    /// <summary>A line from KubeHa itself, in the host's log.</summary>
    public void Note(string text) => _sink.Write(Context.CurrentStepKey, Host.HostId, LogStream.System, _shell.Mask(text));

    public string Mask(string text) => _shell.Mask(text);

    public void Dispose() => _shell.Dispose();

    private async Task<RemoteCommandResult> ExecuteAsync(ShellScript script, string? input, IReadOnlyList<string> description, CancellationToken cancellationToken, bool echoOutput = true)
    {
        var step = Context.CurrentStepKey;
        foreach (var (line, i) in description.Select((l, i) => (l, i)))
        {
            var prefix = IsDryRun ? (i == 0 ? "would run: " : "           ") : (i == 0 ? "$ " : "  ");
            _sink.Write(step, Host.HostId, LogStream.System, _shell.Mask(prefix + line));
        }

        Action<RemoteOutputLine>? onLine = echoOutput
            ? line => _sink.Write(step, Host.HostId, line.Stream == RemoteStream.Stderr ? LogStream.Stderr : LogStream.Stdout, line.Text)
            : null;
        // Data reads (a kubeconfig, a CA, stats) come back as they are: masking them by shape would corrupt them (a
        // kubeconfig's client-key-data becomes "***", a YAML alias). They are never logged, and Failed() masks the
        // tail it puts in an error. Command output is masked, since steps may quote it.
        if (!echoOutput && input is null)
        {
            var data = await _shell.ReadAsRootAsync(script, cancellationToken);
            return data with { ErrorTail = _shell.Mask(data.ErrorTail) };
        }

        var result = await _shell.RunAsRootAsync(script, input, onLine, cancellationToken);
        return result with { Output = _shell.Mask(result.Output), ErrorTail = _shell.Mask(result.ErrorTail) };
    }

    private StepFailedException Failed(string command, RemoteCommandResult result)
    {
        var tail = string.Join('\n', new[] { result.OutputTail, result.ErrorTail }.Where(t => !string.IsNullOrWhiteSpace(t)));
        return new StepFailedException(Host.Name, _shell.Mask(FirstLine(command)), result.ExitCode, _shell.Mask(RemoteCommandLimits.Tail(tail, 15)));
    }

    /// <summary>Real runs log the first line of a script; dry runs show all of it (that is the preview).</summary>
    private string[] Describe(string script)
    {
        var lines = script.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        return IsDryRun || lines.Length <= 1 ? lines : [lines[0] + $"  (+{lines.Length - 1} more lines)"];
    }

    private static string FirstLine(string script) => script.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? script;
}
