using KubeHa.Core.Hosts;

namespace KubeHa.Core.Remote;

/// <summary>The host presented a key other than the pinned one; the connection was refused before authenticating.</summary>
public sealed class HostKeyMismatchException : HostCheckException
{
    public HostKeyMismatchException(SshTarget target, string pinnedFingerprint, HostKeyInfo presented)
        : base(
            HostCheckErrorKind.HostKeyMismatch,
            target.HostPort,
            target.Username,
            $"Host key mismatch for {target.HostPort}: pinned {pinnedFingerprint}, presented {presented.Fingerprint} ({presented.Algorithm}). " +
            "The connection was refused. If the host was reinstalled or its key rotated on purpose, an operator must explicitly re-trust the host; otherwise someone may be intercepting the connection.")
    {
        PinnedFingerprint = pinnedFingerprint;
        Presented = presented;
    }

    public string PinnedFingerprint { get; }

    public HostKeyInfo Presented { get; }
}
