namespace KubeHa.Core.Security;

/// <summary>
/// Encrypts secrets before they are stored (SSH keys, passphrases, passwords, kubeconfigs, join material).
/// Implemented with ASP.NET Core Data Protection by the hosts (Web, Agent), keys kept in the data directory.
/// </summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    /// <exception cref="SecretUnreadableException">The ciphertext cannot be decrypted (key ring lost or data tampered).</exception>
    string Unprotect(string protectedText);
}
