using KubeHa.Core.Hosts;

namespace KubeHa.Core.Remote;

/// <summary>
/// The target has no approved host key and its credential is a password: the connection was closed after the key
/// exchange, before authenticating, so an unknown host (perhaps one an attacker registered) never sees the password.
/// </summary>
public sealed class HostKeyApprovalRequiredException : HostCheckException
{
    public HostKeyApprovalRequiredException(SshTarget target, HostKeyInfo presented)
        : base(
            HostCheckErrorKind.HostKeyNotApproved,
            target.HostPort,
            target.Username,
            $"{target.HostPort} presented host key {presented.Fingerprint} ({presented.Algorithm}), which nobody has approved yet. " +
            "KubeHa sends a password only to a host whose key an operator approved: compare the fingerprint with the host's own " +
            "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on its console), then approve it and check the host again.")
    {
        Presented = presented;
    }

    public HostKeyInfo Presented { get; }
}
