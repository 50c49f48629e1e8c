using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// The discovery-token CA cert hash kubeadm join verifies: "sha256:" + hex SHA-256 of the cluster CA certificate's
/// DER-encoded SubjectPublicKeyInfo. Computed from /etc/kubernetes/pki/ca.crt, never scraped from kubeadm's output.
/// </summary>
public static class CaCertHash
{
    public static string Compute(string caCertificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(caCertificatePem);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        return "sha256:" + Convert.ToHexString(SHA256.HashData(spki)).ToLowerInvariant();
    }
}
