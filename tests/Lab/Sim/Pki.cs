using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeHa.Lab.Sim;

/// <summary>
/// kubeadm's PKI: CAs and leaf certificates as PEM files under /etc/kubernetes/pki. Certificates age on the lab clock:
/// notAfter is lab time plus the validity (leaf one year, CA ten); notBefore is never later than the machine's time,
/// so the real etcd and etcdctl accept a certificate issued after `lab clock advance`.
/// </summary>
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
        var now = LabEnv.Now;
        using var cert = req.CreateSelfSigned(NotBefore(now), now.Add(CaValidity));
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
        using var cert = req.Create(ca, NotBefore(LabEnv.Now), LeafNotAfter(ca), RandomNumberGenerator.GetBytes(8));
        Write(dir, baseName, cert.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
    }

    /// <summary>
    /// `kubeadm certs renew`: a new key and a certificate with the old one's subject, SANs and usages, valid for a year
    /// from lab time, signed by the CA in <paramref name="caDir"/>. Returns (certificate PEM, key PEM).
    /// </summary>
    public static (string Cert, string Key) Renew(string caDir, string caBase, string oldCertPem)
    {
        using var old = X509Certificate2.CreateFromPem(oldCertPem);
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(caDir, caBase + ".crt"), Path.Combine(caDir, caBase + ".key"));
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(old.SubjectName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        foreach (var ext in old.Extensions.Where(e => e.Oid?.Value is not ("2.5.29.14" or "2.5.29.35"))) req.CertificateExtensions.Add(ext);
        using var cert = req.Create(ca, NotBefore(LabEnv.Now), LeafNotAfter(ca), RandomNumberGenerator.GetBytes(8));
        return (cert.ExportCertificatePem() + "\n", key.ExportRSAPrivateKeyPem() + "\n");
    }

    /// <summary>
    /// What a client on the machine's clock must see of <paramref name="cert"/> at the lab time: the same certificate and
    /// key with its validity moved back by the lab clock's offset, signed again by its CA. An apiserver serving this
    /// fails real clients (kubectl, KubernetesClient) with `x509: certificate has expired or is not yet valid` once the
    /// lab clock passes its notAfter.
    /// </summary>
    public static X509Certificate2 OnMachineClock(X509Certificate2 cert, X509Certificate2 ca, RSA caKey, TimeSpan offset)
    {
        var req = new CertificateRequest(cert.SubjectName, cert.PublicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        foreach (var ext in cert.Extensions) req.CertificateExtensions.Add(ext);
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime()) - offset;
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime()) - offset;
        if (notAfter <= notBefore) notAfter = notBefore.AddSeconds(1);
        using var moved = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), notBefore, notAfter, Convert.FromHexString(cert.SerialNumber));
        using var key = cert.GetRSAPrivateKey()!;
        using var withKey = moved.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static DateTimeOffset NotBefore(DateTimeOffset labNow) => (labNow < DateTimeOffset.UtcNow ? labNow : DateTimeOffset.UtcNow).AddMinutes(-5);

    private static DateTimeOffset LeafNotAfter(X509Certificate2 ca)
    {
        var notAfter = LabEnv.Now.Add(LeafValidity);
        return notAfter < ca.NotAfter.ToUniversalTime() ? notAfter : ca.NotAfter.ToUniversalTime();
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
