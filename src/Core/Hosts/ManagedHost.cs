using KubeHa.Core.Credentials;

namespace KubeHa.Core.Hosts;

/// <summary>A Linux machine in the inventory, reached over SSH.</summary>
public sealed class ManagedHost
{
    public int Id { get; set; }

    /// <summary>Operator-chosen display name, unique in the inventory.</summary>
    public required string Name { get; set; }

    /// <summary>IP address or DNS name.</summary>
    public required string Address { get; set; }

    public int Port { get; set; } = 22;

    public required string Username { get; set; }

    public int CredentialId { get; set; }

    public Credential? Credential { get; set; }

    /// <summary>Host key algorithm, e.g. "ssh-ed25519" (pinned, or recorded and awaiting approval).</summary>
    public string? HostKeyAlgorithm { get; set; }

    /// <summary>
    /// Host key fingerprint, "SHA256:..." as OpenSSH prints it: pinned when <see cref="HostKeyPinnedAt"/> is set,
    /// otherwise only recorded on first contact with a password credential, awaiting an operator's approval.
    /// </summary>
    public string? HostKeyFingerprint { get; set; }

    /// <summary>When the key was pinned (first use with a private key, or an operator's approval); null while unapproved.</summary>
    public DateTimeOffset? HostKeyPinnedAt { get; set; }

    public HostCheckStatus CheckStatus { get; set; }

    /// <summary>Machine-readable failure kind of the last check (see <see cref="HostCheckErrorKind"/>).</summary>
    public HostCheckErrorKind? CheckErrorKind { get; set; }

    /// <summary>Operator-facing message of the last failed check; never contains a secret.</summary>
    public string? CheckError { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>Facts gathered by the last successful check.</summary>
    public HostFacts? Facts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
