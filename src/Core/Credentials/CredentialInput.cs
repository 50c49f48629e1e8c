namespace KubeHa.Core.Credentials;

/// <summary>
/// What an operator enters for a credential. Secrets are write-only: on update, a blank secret keeps the stored one.
/// Field names double as keys of <see cref="Inventory.EditResult.FieldErrors"/>.
/// </summary>
public sealed class CredentialInput
{
    public string Name { get; set; } = "";

    public CredentialKind Kind { get; set; } = CredentialKind.PrivateKey;

    /// <summary>Private key text (OpenSSH, PEM or PuTTY), pasted or read from an uploaded file.</summary>
    public string? PrivateKey { get; set; }

    public string? Passphrase { get; set; }

    public string? Password { get; set; }

    /// <summary>Keeps the secrets out of logs and debugger displays.</summary>
    public override string ToString() => $"{Kind} credential '{Name}'";
}
