namespace KubeHa.Core.Clusters;

/// <summary>What a host does in a cluster.</summary>
public enum NodeRole
{
    ControlPlane = 0,
    Worker = 1,
    Etcd = 2,
    LoadBalancer = 3,
}
