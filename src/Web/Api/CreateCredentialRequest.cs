using KubeHa.Core.Credentials;

namespace KubeHa.Web.Api;

/// <summary>A new SSH credential: a private key (with its passphrase if it has one) or a password.</summary>
public sealed record CreateCredentialRequest
{
    public string Name { get; init; } = "";

    public CredentialKind Kind { get; init; } = CredentialKind.PrivateKey;

    /// <summary>OpenSSH, PEM or PuTTY private key text (kind private-key). Write-only.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>Passphrase of an encrypted private key. Write-only.</summary>
    public string? Passphrase { get; init; }

    /// <summary>SSH password (kind password). Write-only.</summary>
    public string? Password { get; init; }

    public CredentialInput ToInput() => new() { Name = Name, Kind = Kind, PrivateKey = PrivateKey, Passphrase = Passphrase, Password = Password };

    /// <summary>Keeps the secrets out of logs.</summary>
    public override string ToString() => $"{Kind} credential '{Name}'";
}
