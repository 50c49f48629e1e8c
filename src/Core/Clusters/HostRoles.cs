namespace KubeHa.Core.Clusters;

/// <summary>An inventory host picked for a cluster and the roles it gets there.</summary>
/// <param name="HostId">Inventory id.</param>
/// <param name="Roles">One or more roles.</param>
public sealed record HostRoles(int HostId, IReadOnlySet<NodeRole> Roles);
