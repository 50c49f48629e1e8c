using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeHa.Core.Credentials;

/// <summary>
/// Loads private key text with SSH.NET's <see cref="PrivateKeyFile"/> to tell an unreadable key, a missing
/// passphrase and a wrong passphrase apart, and computes the public key's SHA256 fingerprint.
/// </summary>
public static class PrivateKeyInspector
{
    public const string MissingKey = "Paste or upload a private key.";
    public const string PublicKeyGiven = "This is a public key. Paste the private key (the file without .pub).";
    public const string Unreadable = "This is not a private key SSH.NET can read (OpenSSH, PEM or PuTTY format; RSA, ECDSA or Ed25519).";
    public const string PassphraseNeeded = "This key is encrypted: enter its passphrase.";
    public const string WrongPassphrase = "This passphrase does not decrypt the key.";

    public static PrivateKeyInspection Inspect(string? privateKey, string? passphrase)
    {
        if (string.IsNullOrWhiteSpace(privateKey))
        {
            return Fail(nameof(CredentialInput.PrivateKey), MissingKey);
        }

        var text = privateKey.Trim();
        if (LooksLikePublicKey(text))
        {
            return Fail(nameof(CredentialInput.PrivateKey), PublicKeyGiven);
        }

        // First without a passphrase: this tells an encrypted key (SshPassPhraseNullOrEmptyException) from an unreadable one.
        if (TryLoad(text, null, out var key, out var needsPassphrase))
        {
            using (key)
            {
                return Describe(key!, encrypted: false);
            }
        }

        if (!needsPassphrase)
        {
            return Fail(nameof(CredentialInput.PrivateKey), Unreadable);
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            return Fail(nameof(CredentialInput.Passphrase), PassphraseNeeded);
        }

        if (TryLoad(text, passphrase, out key, out _))
        {
            using (key)
            {
                return Describe(key!, encrypted: true);
            }
        }

        return Fail(nameof(CredentialInput.Passphrase), WrongPassphrase);
    }

    /// <summary>"SHA256:" + unpadded base64 of the SHA-256 of the SSH wire-format public key blob.</summary>
    public static string Fingerprint(byte[] publicKeyBlob)
        => "SHA256:" + Convert.ToBase64String(SHA256.HashData(publicKeyBlob)).TrimEnd('=');

    private static bool TryLoad(string text, string? passphrase, out PrivateKeyFile? key, out bool needsPassphrase)
    {
        needsPassphrase = false;
        key = null;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text + "\n"));
            key = passphrase is null ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
            return true;
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            needsPassphrase = true;
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Parsers throw SshException, CryptographicException, FormatException, ArgumentException... for bad input.
            // The exception is dropped on purpose: its message may quote key material.
            return false;
        }
    }

    private static PrivateKeyInspection Describe(PrivateKeyFile key, bool encrypted)
    {
        var algorithm = key.HostKeyAlgorithms.First();
        var blob = algorithm.Data;
        return new PrivateKeyInspection
        {
            Algorithm = key.Key.ToString(),
            Fingerprint = Fingerprint(blob),
            Encrypted = encrypted,
        };
    }

    private static bool LooksLikePublicKey(string text)
        => text.StartsWith("ssh-", StringComparison.Ordinal)
            || text.StartsWith("ecdsa-sha2-", StringComparison.Ordinal)
            || text.StartsWith("---- BEGIN SSH2 PUBLIC KEY", StringComparison.Ordinal)
            || text.StartsWith("-----BEGIN PUBLIC KEY", StringComparison.Ordinal)
            || text.StartsWith("-----BEGIN RSA PUBLIC KEY", StringComparison.Ordinal);

    private static PrivateKeyInspection Fail(string field, string message) => new() { ErrorField = field, Error = message };
}
