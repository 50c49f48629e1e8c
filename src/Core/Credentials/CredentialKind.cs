namespace KubeHa.Core.Credentials;

/// <summary>How a credential authenticates over SSH.</summary>
public enum CredentialKind
{
    /// <summary>An OpenSSH or PEM private key, optionally protected by a passphrase.</summary>
    PrivateKey = 0,

    /// <summary>A password (also used for sudo when sudo asks for one).</summary>
    Password = 1,
}
