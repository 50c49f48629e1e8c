namespace KubeHa.Core.Clusters.Certificates;

/// <summary>One certificate kubeadm manages on a control plane, as <c>kubeadm certs check-expiration</c> lists it.</summary>
/// <param name="Host">The control plane holding it.</param>
/// <param name="Name">kubeadm's name: <c>apiserver</c>, <c>admin.conf</c>, <c>etcd-server</c>, ... or a CA: <c>ca</c>, <c>etcd-ca</c>, <c>front-proxy-ca</c>.</param>
/// <param name="ExpiresAt">Its notAfter (to the minute, as kubeadm prints it).</param>
/// <param name="ResidualDays">Whole days left at the time of reading; negative once expired.</param>
/// <param name="Authority">The CA that signed it (kubeadm's CERTIFICATE AUTHORITY column); null for a CA itself, or when kubeadm printed none.</param>
/// <param name="IsAuthority">True for a row of kubeadm's CERTIFICATE AUTHORITY table.</param>
/// <param name="ExternallyManaged">kubeadm's EXTERNALLY MANAGED column: KubeHa cannot renew it with kubeadm.</param>
public sealed record KubeadmCertificate(
    string Host,
    string Name,
    DateTimeOffset ExpiresAt,
    int ResidualDays,
    string? Authority,
    bool IsAuthority,
    bool ExternallyManaged);
