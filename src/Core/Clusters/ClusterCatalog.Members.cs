using KubeHa.Core.Clusters.Membership;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Clusters;

/// <summary>
/// Day 2: adding hosts to a cluster and removing one. Both are checked against the cluster as it would be after the
/// change (the wizard's rules; for a removal, etcd's quorum), refused while a run is active, and start the run that
/// does the work on the hosts concerned only: add-nodes for the new hosts, reset for the leaving one.
/// </summary>
public sealed partial class ClusterCatalog
{
    /// <summary>
    /// Adds inventory hosts (with their roles) to a cluster and starts an add-nodes run for them alone: existing members
    /// are connected and read, never prepared again. <see cref="RunCommandOutcome.Invalid"/> with every problem per
    /// field (<see cref="RunCommandResult.Errors"/>) when the cluster after the change would not validate.
    /// </summary>
    public async Task<RunCommandResult> AddMembersAsync(int clusterId, IReadOnlyList<HostRoles> hosts, string? user, CancellationToken cancellationToken)
    {
        await _runGate.WaitAsync(cancellationToken);
        try
        {
            var added = new List<int>();
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
                if (cluster is null)
                {
                    return new(RunCommandOutcome.NotFound, Message: "This cluster does not exist.");
                }

                if (await ActiveRunAsync(db, cluster, cancellationToken) is { } active)
                {
                    return Busy(cluster, active);
                }

                var errors = await ValidateAdditionAsync(db, cluster, hosts, cancellationToken);
                if (errors.Count > 0)
                {
                    return new(RunCommandOutcome.Invalid, Message: string.Join(" ", errors.Select(e => e.Message)), Field: errors[0].Field, Errors: errors);
                }

                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                foreach (var host in hosts)
                {
                    // One SaveChanges per node keeps the order (ClusterMembers orders by node id).
                    foreach (var role in host.Roles.Order())
                    {
                        db.ClusterNodes.Add(new ClusterNode { ClusterId = clusterId, HostId = host.HostId, Role = role });
                        await db.SaveChangesAsync(cancellationToken);
                    }

                    added.Add(host.HostId);
                }

                await tx.CommitAsync(cancellationToken);
            }

            try
            {
                var runId = await scheduler.StartAsync(clusterId, PlanCatalog.AddNodes, added, user, cancellationToken);
                return new(RunCommandOutcome.Accepted, runId);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // No run to join them: they are not members either.
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await db.ClusterNodes.Where(n => n.ClusterId == clusterId && added.Contains(n.HostId)).ExecuteDeleteAsync(CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _runGate.Release();
        }
    }

    /// <summary>
    /// Starts the removal of one member (a reset run of that host: drain, kubeadm reset, its etcd member removed from a
    /// peer, load balancers resynced, node deleted); the host leaves the membership when the run succeeds.
    /// Refused (<see cref="RunCommandOutcome.InvalidState"/>, the arithmetic in the message) when etcd would lose quorum,
    /// or when its member count would become even, unless <paramref name="confirmEvenMembers"/> is the cluster's name
    /// and <paramref name="mayConfirm"/> (an Admin).
    /// </summary>
    public async Task<RunCommandResult> RemoveMemberAsync(int clusterId, int hostId, string? confirmEvenMembers, bool mayConfirm, string? user, CancellationToken cancellationToken)
    {
        await _runGate.WaitAsync(cancellationToken);
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
                if (cluster is null)
                {
                    return new(RunCommandOutcome.NotFound, Message: "This cluster does not exist.");
                }

                var members = await ClusterMembers.LoadAsync(db, clusterId, cancellationToken);
                if (members.FirstOrDefault(m => m.HostId == hostId) is not { } leaving)
                {
                    var name = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.Name).SingleOrDefaultAsync(cancellationToken);
                    return new(RunCommandOutcome.NotFound, Field: "hostId",
                        Message: $"Host {hostId}{(name is null ? " (not in the inventory)" : $" ({name})")} is not a member of cluster '{cluster.Name}'.");
                }

                if (await ActiveRunAsync(db, cluster, cancellationToken) is { } active)
                {
                    return Busy(cluster, active);
                }

                if (RemovalRefusal(cluster, members, leaving, confirmEvenMembers, mayConfirm) is { } refusal)
                {
                    return refusal;
                }
            }

            var runId = await scheduler.StartAsync(clusterId, PlanCatalog.Reset, [hostId], user, cancellationToken);
            return new(RunCommandOutcome.Accepted, runId);
        }
        finally
        {
            _runGate.Release();
        }
    }

    /// <summary>The quorum guard, then the wizard's rules on what stays; null when the removal may start.</summary>
    private static RunCommandResult? RemovalRefusal(Cluster cluster, IReadOnlyList<ClusterMember> members, ClusterMember leaving, string? confirmation, bool mayConfirm)
    {
        var external = cluster.Spec.EtcdTopology == EtcdTopology.External;
        bool IsEtcd(ClusterMember m) => external ? m.Is(NodeRole.Etcd) : m.Is(NodeRole.ControlPlane);
        var check = EtcdQuorumGuard.CheckRemoval(leaving.Name, members.Count(IsEtcd), IsEtcd(leaving));
        switch (check.Verdict)
        {
            case QuorumVerdict.LosesQuorum:
                return new(RunCommandOutcome.InvalidState, Message: Capitalised(check.Reason!));
            case QuorumVerdict.EvenCount when string.IsNullOrWhiteSpace(confirmation):
                return new(RunCommandOutcome.InvalidState, Message: $"{Capitalised(check.Reason!)} (API: \"confirmEvenMembers\": \"{cluster.Name}\").");
            case QuorumVerdict.EvenCount when confirmation.Trim() != cluster.Name:
                return new(RunCommandOutcome.Invalid, Field: "confirmEvenMembers",
                    Message: $"Type the cluster's name '{cluster.Name}' exactly to confirm an even etcd member count.");
            case QuorumVerdict.EvenCount when !mayConfirm:
                return new(RunCommandOutcome.Forbidden, Message: $"Only an Admin may confirm an even etcd member count: {check.Reason}");
        }

        var remaining = members.Where(m => m.HostId != leaving.HostId).ToList();
        var errors = ClusterSpecValidator.Validate(cluster.Spec, remaining).Errors
            .Where(e => e.Code is not ("even-control-planes" or "even-etcd-members")) // the guard's business (confirmed above)
            .ToList();
        return errors.Count == 0 ? null
            : new(RunCommandOutcome.InvalidState, Message: $"Removing {leaving.Name} would leave cluster '{cluster.Name}' unable to work: {string.Join(" ", errors.Select(e => e.Message))}");
    }

    private static async Task<List<SpecIssue>> ValidateAdditionAsync(KubeHaDbContext db, Cluster cluster, IReadOnlyList<HostRoles> hosts, CancellationToken cancellationToken)
    {
        var errors = new List<SpecIssue>();
        if (hosts.Count == 0)
        {
            errors.Add(new("hosts", "no-hosts", $"Name at least one host to add to cluster '{cluster.Name}', with its roles."));
            return errors;
        }

        foreach (var duplicate in hosts.GroupBy(h => h.HostId).Where(g => g.Count() > 1))
        {
            errors.Add(new("hosts", "duplicate-host", $"Host {duplicate.Key} is listed twice: give one entry all its roles.", duplicate.Key));
        }

        var ids = hosts.Select(h => h.HostId).Distinct().ToList();
        var inventory = await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);
        var owners = await db.ClusterNodes.AsNoTracking().Where(n => ids.Contains(n.HostId))
            .Select(n => new { n.HostId, n.ClusterId, n.Cluster!.Name }).ToListAsync(cancellationToken);
        var after = (await ClusterMembers.LoadAsync(db, cluster.Id, cancellationToken)).ToList();
        foreach (var entry in hosts.DistinctBy(h => h.HostId))
        {
            if (!inventory.TryGetValue(entry.HostId, out var host))
            {
                errors.Add(new("hosts", "unknown-host", $"Host {entry.HostId} is not in the inventory.", entry.HostId));
                continue;
            }

            if (owners.FirstOrDefault(o => o.HostId == host.Id) is { } owner)
            {
                errors.Add(owner.ClusterId == cluster.Id
                    ? new("hosts", "already-member", $"{host.Name} is already a member of cluster '{cluster.Name}'.", host.Id)
                    : new("hosts", "host-in-other-cluster", $"{host.Name} already belongs to cluster '{owner.Name}': a host can be in one cluster only. Remove it there first.", host.Id));
                continue;
            }

            if (host.Facts is null || host.CheckStatus != HostCheckStatus.Succeeded)
            {
                errors.Add(new("hosts", "host-not-checked", $"{host.Name} has no successful check, so KubeHa knows nothing of it: check it on the Hosts page first.", host.Id));
            }

            if (entry.Roles.Count == 0)
            {
                errors.Add(new("roles", "no-role", $"{host.Name} has no role: give it control-plane, worker, etcd or load-balancer.", host.Id));
            }

            if (cluster.Spec.EtcdTopology == EtcdTopology.External && entry.Roles.Contains(NodeRole.Etcd))
            {
                errors.Add(new("roles", "etcd-member-not-addable", $"{host.Name}: adding an external etcd member to a running cluster is not supported yet (the add-nodes plan starts no etcd member).", host.Id));
            }

            after.Add(new ClusterMember(host.Id, host.Name, host.Address, entry.Roles, host.Facts, null, host.CheckStatus));
        }

        if (errors.Count == 0)
        {
            // The cluster as it would be: odd etcd count, load-balancer rules, addresses, node names, duplicates of facts.
            errors.AddRange(ClusterSpecValidator.Validate(cluster.Spec, after).Errors);
        }

        return errors;
    }

    private static RunCommandResult Busy(Cluster cluster, long active) =>
        new(RunCommandOutcome.Conflict, ActiveRunId: active,
            Message: $"Run {active} of cluster '{cluster.Name}' is in progress: wait for it to finish or cancel it first.");

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
