namespace KubeHa.Core.Clusters;

/// <summary>
/// A cluster as an operator describes it before it exists: what the create wizard and <c>POST /api/v1/clusters</c> send.
/// </summary>
/// <param name="Name">Unique name, a DNS label ("prod-eu-1").</param>
/// <param name="Spec">Version, topology, load balancer and networks.</param>
/// <param name="Hosts">Hosts and their roles, in order: the first control plane runs <c>kubeadm init</c>.</param>
/// <param name="Zone">Network zone to pin the cluster to (only agents serving it run its jobs); null: any agent.</param>
public sealed record ClusterDraft(string Name, ClusterSpec Spec, IReadOnlyList<HostRoles> Hosts, string? Zone = null);
