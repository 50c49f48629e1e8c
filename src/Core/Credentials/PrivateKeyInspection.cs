namespace KubeHa.Core.Credentials;

/// <summary>
/// Result of loading a private key: its public fingerprint, or which field is wrong and why.
/// Never carries key material.
/// </summary>
public sealed record PrivateKeyInspection
{
    public string? Algorithm { get; init; }

    /// <summary>"SHA256:..." of the public key, as <c>ssh-keygen -lf</c> prints it.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Whether the key is encrypted (needs its passphrase).</summary>
    public bool Encrypted { get; init; }

    /// <summary><see cref="CredentialInput.PrivateKey"/> or <see cref="CredentialInput.Passphrase"/>, when invalid.</summary>
    public string? ErrorField { get; init; }

    public string? Error { get; init; }

    public bool IsValid => Error is null;
}
