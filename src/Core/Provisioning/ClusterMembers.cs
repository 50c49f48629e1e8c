using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Provisioning;

/// <summary>Loads a cluster's hosts with their roles, in the order they were added (the first control plane first).</summary>
public static class ClusterMembers
{
    public static async Task<IReadOnlyList<ClusterMember>> LoadAsync(KubeHaDbContext db, int clusterId, CancellationToken cancellationToken)
    {
        var nodes = await db.ClusterNodes.AsNoTracking().Include(n => n.Host).Where(n => n.ClusterId == clusterId).ToListAsync(cancellationToken);
        return From(nodes);
    }

    /// <summary>The members of one cluster's nodes (each with its <see cref="ClusterNode.Host"/> loaded).</summary>
    public static IReadOnlyList<ClusterMember> From(IEnumerable<ClusterNode> nodes) =>
        nodes.GroupBy(n => n.HostId)
            .OrderBy(g => g.Min(n => n.Id))
            .Select(g => new ClusterMember(g.Key, g.First().Host!.Name, g.First().Host!.Address, g.Select(n => n.Role).ToHashSet(), g.First().Host!.Facts))
            .ToList();
}
