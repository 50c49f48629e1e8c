namespace KubeHa.Core.Alerts;

/// <summary>A kubeadm certificate that crossed a threshold.</summary>
/// <param name="Host">Control plane (or external etcd member) holding it.</param>
/// <param name="Name">kubeadm's name: <c>apiserver</c>, <c>apiserver-kubelet-client</c>, <c>ca</c>, <c>etcd-server</c>, ...</param>
/// <param name="ExpiresAt">Its notAfter.</param>
/// <param name="ResidualDays">Whole days left when the alert was raised.</param>
/// <param name="ThresholdDays">The threshold it crossed (warning or critical setting).</param>
/// <param name="Authority">The CA that signed it (kubeadm's CERTIFICATE AUTHORITY column), null for a CA.</param>
public sealed record AlertCertificate(string Host, string Name, DateTimeOffset ExpiresAt, int ResidualDays, int ThresholdDays, string? Authority);
