namespace KubeHa.Core.Credentials;

/// <summary>
/// SSH credentials stored once and reused by many hosts. Secrets are kept only in protected
/// (encrypted) form; see <see cref="Security.ISecretProtector"/>.
/// </summary>
public sealed class Credential
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public CredentialKind Kind { get; set; }

    /// <summary>Encrypted private key (PEM/OpenSSH text) or password.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>Encrypted passphrase of the private key, when it has one.</summary>
    public string? ProtectedPassphrase { get; set; }

    /// <summary>SHA256 fingerprint of the public half of a key credential; not secret, shown to operators.</summary>
    public string? PublicKeyFingerprint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
