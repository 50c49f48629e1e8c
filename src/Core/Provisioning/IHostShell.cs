using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning;

/// <summary>What a <see cref="HostSession"/> runs commands through: a real SSH session, or the dry-run recorder.</summary>
public interface IHostShell : IDisposable
{
    bool IsDryRun { get; }

    /// <summary>Runs a script as root, streaming masked lines; <paramref name="standardInput"/> feeds file contents.</summary>
    Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken);

    /// <summary>Reads data as root: stdout unmasked and never streamed (the caller must not log it), stderr masked.</summary>
    Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken);

    /// <summary>Masks these from now on, in output and in anything the session reports.</summary>
    void AddKnownSecrets(IEnumerable<string> secrets);

    string Mask(string text);
}
