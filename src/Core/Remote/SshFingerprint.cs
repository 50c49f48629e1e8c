using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KubeHa.Core.Remote;

/// <summary>OpenSSH-compatible host key fingerprints.</summary>
public static class SshFingerprint
{
    /// <summary>"SHA256:" + unpadded base64 of SHA-256 over the public key blob, as <c>ssh-keygen -lf</c> prints it.</summary>
    public static string Sha256(ReadOnlySpan<byte> publicKeyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(publicKeyBlob)).TrimEnd('=');

    /// <summary>The key type at the start of an SSH public key blob ("ssh-ed25519", "ssh-rsa", ...), or "unknown".</summary>
    public static string KeyType(ReadOnlySpan<byte> publicKeyBlob)
    {
        if (publicKeyBlob.Length < 4)
        {
            return "unknown";
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(publicKeyBlob);
        return length is > 0 and < 64 && publicKeyBlob.Length >= 4 + (int)length
            ? Encoding.ASCII.GetString(publicKeyBlob.Slice(4, (int)length))
            : "unknown";
    }

    /// <summary>Fingerprint of an authorized_keys / .pub line ("ssh-ed25519 AAAA... comment").</summary>
    public static string Sha256OfPublicKeyLine(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2)
        {
            throw new FormatException("Not an OpenSSH public key line.");
        }

        return Sha256(Convert.FromBase64String(parts[1]));
    }
}
