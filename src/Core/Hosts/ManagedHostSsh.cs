using KubeHa.Core.Credentials;
using KubeHa.Core.Remote;
using KubeHa.Core.Security;

namespace KubeHa.Core.Hosts;

/// <summary>How KubeHa connects to a managed host: its decrypted credential and the host key it must present.</summary>
public static class ManagedHostSsh
{
    /// <summary>
    /// The host key connections must present: the pinned one. A key only recorded on first contact with a password
    /// credential (<see cref="ManagedHost.HostKeyPinnedAt"/> null) is not trusted until an operator approves it.
    /// </summary>
    public static string? ApprovedHostKeyFingerprint(this ManagedHost host)
        => host.HostKeyPinnedAt is null ? null : host.HostKeyFingerprint;

    /// <summary>True when a key was recorded on first contact and waits for an operator's approval.</summary>
    public static bool HostKeyAwaitsApproval(this ManagedHost host)
        => host.HostKeyFingerprint is not null && host.HostKeyPinnedAt is null;

    /// <summary>The SSH target of a host loaded with its credential (secrets decrypted, in memory only).</summary>
    public static SshTarget ToSshTarget(this ManagedHost host, ISecretProtector secrets)
    {
        var credential = host.Credential ?? throw new InvalidOperationException($"Host {host.Id} has no credential loaded.");
        var secret = secrets.Unprotect(credential.ProtectedSecret);
        var ssh = credential.Kind == CredentialKind.Password
            ? SshCredential.FromPassword(secret)
            : SshCredential.FromPrivateKey(secret, credential.ProtectedPassphrase is null ? null : secrets.Unprotect(credential.ProtectedPassphrase));
        return new SshTarget(host.Address, host.Port, host.Username, ssh, host.ApprovedHostKeyFingerprint());
    }
}
