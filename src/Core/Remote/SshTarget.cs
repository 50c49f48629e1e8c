namespace KubeHa.Core.Remote;

/// <summary>Where and as whom to connect, and which host key to expect.</summary>
/// <param name="Address">IP address or DNS name.</param>
/// <param name="Port">TCP port of sshd.</param>
/// <param name="Username">Login user.</param>
/// <param name="Credential">Decrypted credential (in memory only; prints without secrets).</param>
/// <param name="PinnedHostKeyFingerprint">
/// "SHA256:..." the host must present, or null: first contact, trusted with a private key, stopped before
/// authenticating with a password (<see cref="HostKeyApprovalRequiredException"/>).
/// </param>
public sealed record SshTarget(
    string Address,
    int Port,
    string Username,
    SshCredential Credential,
    string? PinnedHostKeyFingerprint)
{
    /// <summary>"user@host:port" for messages and logs.</summary>
    public string Display => $"{Username}@{HostPort}";

    /// <summary>"host:port" ("[v6]:port" for IPv6 literals).</summary>
    public string HostPort => Hosts.NetworkAddress.HostPort(Address, Port);
}
