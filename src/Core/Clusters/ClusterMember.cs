using KubeHa.Core.Hosts;

namespace KubeHa.Core.Clusters;

/// <summary>A host as the validator and the planner see it: where it is, what it does, what is known about it.</summary>
/// <param name="HostId">Inventory id.</param>
/// <param name="Name">Inventory name.</param>
/// <param name="Address">IP address or DNS name KubeHa connects to; also the node's advertise address.</param>
/// <param name="Roles">Its roles in this cluster.</param>
/// <param name="Facts">Facts from the last host check, when one succeeded.</param>
/// <param name="OtherClusterName">Name of another cluster this host already belongs to, if any.</param>
public sealed record ClusterMember(
    int HostId,
    string Name,
    string Address,
    IReadOnlySet<NodeRole> Roles,
    HostFacts? Facts = null,
    string? OtherClusterName = null,
    HostCheckStatus? LastCheck = null)
{
    public bool Is(NodeRole role) => Roles.Contains(role);

    /// <summary>Runs a kubelet (control plane or worker); etcd-only and load-balancer-only hosts do not join as nodes.</summary>
    public bool IsKubernetesNode => Is(NodeRole.ControlPlane) || Is(NodeRole.Worker);
}
