using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning;

/// <summary>The real shell: one reused SSH connection to the host, root through the session's sudo mode.</summary>
public sealed class SshHostShell(SshSession session) : IHostShell
{
    public bool IsDryRun => false;

    public SshSession Session => session;

    public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken) =>
        session.RunAsRootAsync(script, standardInput, onLine, cancellationToken);

    public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken) =>
        session.ReadAsRootAsync(script, cancellationToken);

    public void AddKnownSecrets(IEnumerable<string> secrets) => session.AddKnownSecrets(secrets);

    public string Mask(string text) => session.Mask(text);

    public void Dispose() => session.Dispose();
}
