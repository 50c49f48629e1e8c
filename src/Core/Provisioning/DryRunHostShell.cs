using KubeHa.Core.Remote;
using KubeHa.Core.Security;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// The plan-preview shell: executes nothing; every command succeeds with empty output unless <paramref name="responder"/>
/// (tests) answers it. The same step code runs against it, and <see cref="HostSession"/> records "would run: ...".
/// </summary>
public sealed class DryRunHostShell(Func<string, RemoteCommandResult?>? responder = null) : IHostShell
{
    private readonly List<string> _secrets = [];
    private KnownSecretMasker _masker = new([]);

    public bool IsDryRun => true;

    public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = responder?.Invoke(script.Text) ?? new RemoteCommandResult(0, string.Empty, string.Empty);
        // Streamed as a real shell would: stdout lines, then the stderr lines a responder scripted.
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            onLine?.Invoke(new RemoteOutputLine(RemoteStream.Stdout, Mask(line)));
        }

        foreach (var line in result.ErrorTail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            onLine?.Invoke(new RemoteOutputLine(RemoteStream.Stderr, Mask(line)));
        }

        return Task.FromResult(result with { Output = Mask(result.Output), ErrorTail = Mask(result.ErrorTail) });
    }

    public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = responder?.Invoke(script.Text) ?? new RemoteCommandResult(0, string.Empty, string.Empty);
        return Task.FromResult(result with { ErrorTail = Mask(result.ErrorTail) });
    }

    public void AddKnownSecrets(IEnumerable<string> secrets)
    {
        lock (_secrets)
        {
            _secrets.AddRange(secrets);
            _masker = new KnownSecretMasker(_secrets);
        }
    }

    public string Mask(string text) => _masker.Apply(text);

    public void Dispose()
    {
    }
}
