using System.Buffers.Binary;
using System.Text;
using KubeHa.Core.Hosts;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeHa.Core.Remote;

/// <summary>
/// Loads a pasted private key into SSH.NET. SSH.NET reports a wrong passphrase with a plain <see cref="SshException"/>
/// (OpenSSH format) or a cipher error (PEM), indistinguishable by type from a corrupt key. So whether the key is
/// encrypted is read from the key's own structure first: a failure on an encrypted key is a passphrase problem,
/// on an unencrypted key a format problem.
/// </summary>
public static class SshPrivateKeyLoader
{
    public static PrivateKeyFile Load(SshTarget target)
    {
        var credential = target.Credential;
        var text = credential.PrivateKey ?? throw new ArgumentException("Not a private key credential.", nameof(target));
        var encrypted = IsEncrypted(text);
        if (encrypted && credential.Passphrase is null)
        {
            throw new HostCheckException(HostCheckErrorKind.WrongPassphrase, target.HostPort, target.Username,
                $"The private key for {target.Display} is protected by a passphrase, but the credential has none: add the passphrase.");
        }

        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.Trim() + "\n"));
            return new PrivateKeyFile(stream, credential.Passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException ex)
        {
            throw new HostCheckException(HostCheckErrorKind.WrongPassphrase, target.HostPort, target.Username,
                $"The private key for {target.Display} is protected by a passphrase, but the credential has none: add the passphrase.", ex);
        }
        catch (Exception ex) when (encrypted && ex is not OutOfMemoryException)
        {
            throw new HostCheckException(HostCheckErrorKind.WrongPassphrase, target.HostPort, target.Username,
                $"The passphrase stored for the private key used with {target.Display} is wrong: the key cannot be decrypted.", ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HostCheckException(HostCheckErrorKind.InvalidCredential, target.HostPort, target.Username,
                $"The private key used with {target.Display} cannot be read: expected an OpenSSH, PEM, PKCS#8 or PuTTY private key ({ex.GetType().Name}).", ex);
        }
    }

    /// <summary>Whether the key text says it is encrypted (OpenSSH cipher name, PEM headers, PKCS#8, PuTTY).</summary>
    public static bool IsEncrypted(string keyText)
    {
        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) ||
            keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            return true;
        }

        const string PuttyEncryption = "Encryption:";
        var putty = keyText.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(PuttyEncryption, StringComparison.Ordinal));
        if (putty is not null)
        {
            return putty[PuttyEncryption.Length..].Trim() != "none";
        }

        const string Begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
        const string End = "-----END OPENSSH PRIVATE KEY-----";
        var start = keyText.IndexOf(Begin, StringComparison.Ordinal);
        var end = keyText.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return false;
        }

        try
        {
            var body = Convert.FromBase64String(string.Concat(keyText[(start + Begin.Length)..end].Where(c => !char.IsWhiteSpace(c))));
            var magic = "openssh-key-v1\0"u8;
            if (!body.AsSpan().StartsWith(magic) || body.Length < magic.Length + 4)
            {
                return false;
            }

            var rest = body.AsSpan(magic.Length);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest);
            return length > 0 && length <= rest.Length - 4 && Encoding.ASCII.GetString(rest.Slice(4, length)) != "none";
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
