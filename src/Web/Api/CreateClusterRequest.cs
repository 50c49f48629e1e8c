using KubeHa.Core.Clusters;

namespace KubeHa.Web.Api;

/// <summary>A cluster to create: its name, the engine's spec, and the inventory hosts with their roles.</summary>
public sealed record CreateClusterRequest
{
    public string Name { get; init; } = "";

    public ClusterSpec Spec { get; init; } = new();

    public IReadOnlyList<ClusterHostRequest> Hosts { get; init; } = [];

    /// <summary>Network zone to pin the cluster to ("dmz"): only agents serving that zone run its jobs. Empty: any agent.</summary>
    public string? Zone { get; init; }

    public ClusterDraft ToDraft() => new(Name, Spec ?? new ClusterSpec(), (Hosts ?? []).Select(h => new HostRoles(h.HostId, (h.Roles ?? []).ToHashSet())).ToList(), Zone);
}

/// <summary>A host of the inventory and its roles in the cluster (e.g. ["control-plane", "etcd"]).</summary>
public sealed record ClusterHostRequest(int HostId, IReadOnlyList<NodeRole> Roles);
