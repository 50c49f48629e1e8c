using System.Security.Cryptography;
using System.Text;

namespace KubeHa.Lab.Sim;

/// <summary>The kubeadm-certs Secret: shared CA and SA files encrypted with AES-GCM under the certificate key.</summary>
internal static class CertsUpload
{
    public static readonly string[] Files =
    [
        "ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key", "etcd/ca.crt", "etcd/ca.key",
    ];

    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string SecretKeyName(string file) => file.Replace('/', '-');

    public static Dictionary<string, string> Encrypt(string pkiDir, string hexKey)
    {
        var key = Convert.FromHexString(hexKey);
        var data = new Dictionary<string, string>();
        foreach (var f in Files)
        {
            var path = Path.Combine(pkiDir, f);
            if (!File.Exists(path)) continue;
            var plain = File.ReadAllBytes(path);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var cipher = new byte[plain.Length];
            var tag = new byte[16];
            using var gcm = new AesGcm(key, 16);
            gcm.Encrypt(nonce, plain, cipher, tag);
            data[SecretKeyName(f)] = Convert.ToBase64String(Convert.ToBase64String([.. nonce, .. cipher, .. tag]).Select(c => (byte)c).ToArray());
        }
        return data;
    }

    /// <summary>Decrypts one Secret value (base64 of base64(nonce|cipher|tag)); throws with Go's wording on a wrong key.</summary>
    public static byte[] Decrypt(string secretValue, string hexKey)
    {
        var raw = Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(secretValue)));
        var key = Convert.FromHexString(hexKey);
        var nonce = raw[..12];
        var tag = raw[^16..];
        var cipher = raw[12..^16];
        var plain = new byte[cipher.Length];
        try
        {
            using var gcm = new AesGcm(key, 16);
            gcm.Decrypt(nonce, cipher, tag, plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new KubeadmException("error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding secret data with provided key: cipher: message authentication failed\nTo see the stack trace of this error execute with --v=5 or higher");
        }
        return plain;
    }
}
