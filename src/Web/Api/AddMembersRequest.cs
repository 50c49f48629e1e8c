using KubeHa.Core.Clusters;

namespace KubeHa.Web.Api;

/// <summary>Inventory hosts to add to a running cluster, each with its roles: <c>{"hosts":[{"hostId":7,"roles":["worker"]}]}</c>.</summary>
public sealed record AddMembersRequest
{
    public IReadOnlyList<ClusterHostRequest> Hosts { get; init; } = [];

    public IReadOnlyList<HostRoles> ToHostRoles() => (Hosts ?? []).Select(h => new HostRoles(h.HostId, (h.Roles ?? []).ToHashSet())).ToList();
}
