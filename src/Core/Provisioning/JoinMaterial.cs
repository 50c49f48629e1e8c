namespace KubeHa.Core.Provisioning;

/// <summary>
/// The join secrets of a cluster, in clear, in memory only for the duration of a run; stored encrypted on the cluster
/// (<see cref="IClusterSecretsStore"/>). Never logged: sessions mask them as known secrets.
/// </summary>
public sealed record JoinMaterial
{
    /// <summary>kubeadm deletes the uploaded certificates (kubeadm-certs secret) after two hours.</summary>
    public static readonly TimeSpan CertificateKeyTtl = TimeSpan.FromHours(2);

    /// <summary>A token or key this close to expiry is treated as expired: a join must finish before it lapses.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(15);

    public string? BootstrapToken { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }

    public string? CertificateKey { get; init; }

    public DateTimeOffset? CertificatesUploadedAt { get; init; }

    public string? CaCertHash { get; init; }

    public bool TokenValidAt(DateTimeOffset now) =>
        BootstrapToken is not null && TokenExpiresAt is { } expires && expires - ExpiryMargin > now;

    public bool CertificateKeyValidAt(DateTimeOffset now) =>
        CertificateKey is not null && CertificatesUploadedAt is { } uploaded && uploaded + CertificateKeyTtl - ExpiryMargin > now;

    public IEnumerable<string> Secrets => new[] { BootstrapToken, CertificateKey }.Where(s => s is not null)!;
}
