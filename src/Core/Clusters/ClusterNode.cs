using KubeHa.Core.Hosts;

namespace KubeHa.Core.Clusters;

/// <summary>A host's role in a cluster. A host belongs to at most one cluster, with one or more roles.</summary>
public sealed class ClusterNode
{
    public int Id { get; set; }

    public int ClusterId { get; set; }

    public Cluster? Cluster { get; set; }

    public int HostId { get; set; }

    public ManagedHost? Host { get; set; }

    public NodeRole Role { get; set; }
}
