namespace KubeHa.Core.Remote;

/// <summary>Opens verified, authenticated SSH sessions.</summary>
public interface ISshConnector
{
    /// <summary>
    /// Connects within the configured timeout, verifies the host key against <see cref="SshTarget.PinnedHostKeyFingerprint"/>
    /// (or accepts and reports it when nothing is pinned) and authenticates.
    /// </summary>
    /// <exception cref="HostCheckException">Typed failure (<see cref="HostKeyMismatchException"/> for a changed key).</exception>
    Task<SshSession> ConnectAsync(SshTarget target, CancellationToken cancellationToken);
}
