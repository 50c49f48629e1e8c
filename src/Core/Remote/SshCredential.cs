using KubeHa.Core.Credentials;

namespace KubeHa.Core.Remote;

/// <summary>
/// Decrypted SSH credential material, held only in memory for the duration of a connection. Never printed:
/// <see cref="ToString"/> names the kind only, and the secrets are not public.
/// </summary>
public sealed class SshCredential
{
    private SshCredential(CredentialKind kind, string? privateKey, string? passphrase, string? password)
    {
        Kind = kind;
        PrivateKey = privateKey;
        Passphrase = passphrase;
        Password = password;
    }

    public CredentialKind Kind { get; }

    internal string? PrivateKey { get; }

    internal string? Passphrase { get; }

    /// <summary>Login password; also fed to sudo on stdin when sudo asks for one.</summary>
    internal string? Password { get; }

    /// <summary>Every secret string of this credential (for masking output and checking messages).</summary>
    internal IEnumerable<string> Secrets =>
        new[] { PrivateKey, Passphrase, Password }.Where(s => !string.IsNullOrEmpty(s))!;

    public static SshCredential FromPrivateKey(string privateKey, string? passphrase = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKey);
        return new(CredentialKind.PrivateKey, privateKey, string.IsNullOrEmpty(passphrase) ? null : passphrase, null);
    }

    public static SshCredential FromPassword(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return new(CredentialKind.Password, null, null, password);
    }

    public override string ToString() => Kind == CredentialKind.Password ? "password credential" : "private key credential";
}
