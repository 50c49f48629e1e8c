namespace KubeHa.Core.Clusters.Certificates;

/// <summary>Every kubeadm certificate of a cluster's control planes at <see cref="ReadAt"/>.</summary>
/// <param name="Certificates">By host (in member order), then kubeadm's order.</param>
/// <param name="Errors">One line per control plane that could not be read ("node2: ..."); empty when all answered.</param>
public sealed record ClusterCertificates(int ClusterId, DateTimeOffset ReadAt, IReadOnlyList<KubeadmCertificate> Certificates, IReadOnlyList<string> Errors)
{
    /// <summary>Certificates with at most <paramref name="days"/> whole days left (expired ones included).</summary>
    public IEnumerable<KubeadmCertificate> ExpiringWithin(int days) => Certificates.Where(c => c.ResidualDays <= days);
}
