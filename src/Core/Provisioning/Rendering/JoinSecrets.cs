using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// The secrets KubeHa generates before <c>kubeadm init</c> instead of scraping them from its output: a bootstrap token
/// (<c>[a-z0-9]{6}.[a-z0-9]{16}</c>, kubeadm's format) and a certificate key (32 random bytes, 64 hex digits) that
/// encrypts the control-plane certificates kubeadm uploads to the kubeadm-certs secret.
/// </summary>
public static partial class JoinSecrets
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewBootstrapToken() => $"{Random(6)}.{Random(16)}";

    public static string NewCertificateKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static bool IsBootstrapToken(string value) => TokenPattern().IsMatch(value);

    public static bool IsCertificateKey(string value) => CertificateKeyPattern().IsMatch(value);

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    [GeneratedRegex("^[a-z0-9]{6}\\.[a-z0-9]{16}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex CertificateKeyPattern();
}
