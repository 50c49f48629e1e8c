using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeHa.Lab.Sim;

/// <summary>kubeadm's PKI: CAs and leaf certificates as PEM files under /etc/kubernetes/pki.</summary>
internal static class Pki
{
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);
    public static readonly TimeSpan LeafValidity = TimeSpan.FromDays(365);

    public static void WriteCa(string dir, string baseName, string commonName)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var cert = req.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaValidity));
        Write(dir, baseName, cert.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
    }

    /// <summary>Issues a leaf signed by dir/caBase.{crt,key}.</summary>
    public static void WriteLeaf(string dir, string caBase, string baseName, string subject, bool server, bool client,
        IEnumerable<string>? dnsNames = null, IEnumerable<string>? ips = null)
    {
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(dir, caBase + ".crt"), Path.Combine(dir, caBase + ".key"));
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var eku = new OidCollection();
        if (server) eku.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        if (client) eku.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, false));
        var san = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var d in dnsNames ?? []) { san.AddDnsName(d); any = true; }
        foreach (var i in ips ?? []) { if (IPAddress.TryParse(i, out var a)) { san.AddIpAddress(a); any = true; } }
        if (any) req.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.Add(LeafValidity) < ca.NotAfter ? now.Add(LeafValidity) : ca.NotAfter.ToUniversalTime();
        using var cert = req.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(8));
        Write(dir, baseName, cert.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
    }

    public static void WriteServiceAccountKey(string dir)
    {
        using var key = RSA.Create(2048);
        File.WriteAllText(Path.Combine(dir, "sa.key"), key.ExportRSAPrivateKeyPem() + "\n");
        File.WriteAllText(Path.Combine(dir, "sa.pub"), key.ExportSubjectPublicKeyInfoPem() + "\n");
        File.SetUnixFileMode(Path.Combine(dir, "sa.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>sha256:... of the CA's SubjectPublicKeyInfo, as --discovery-token-ca-cert-hash expects.</summary>
    public static string CaCertHash(string caPem)
    {
        using var ca = X509Certificate2.CreateFromPem(caPem);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    private static void Write(string dir, string baseName, string certPem, string keyPem)
    {
        var crt = Path.Combine(dir, baseName + ".crt");
        var key = Path.Combine(dir, baseName + ".key");
        Directory.CreateDirectory(Path.GetDirectoryName(crt)!);
        File.WriteAllText(crt, certPem + "\n");
        File.WriteAllText(key, keyPem + "\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
