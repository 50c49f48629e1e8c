using System.Text.RegularExpressions;
using KubeHa.Core.Hosts;
using KubeHa.Core.Inventory;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Clusters;

/// <summary>
/// Clusters as operators manage them, shared by the UI and the REST API: validate and create a cluster from a
/// <see cref="ClusterDraft"/>, list and get, delete, and start, resume or cancel runs of its plans. Runs themselves are
/// executed by the agent (<see cref="IRunScheduler"/>); nothing here touches a host.
/// </summary>
public sealed partial class ClusterCatalog(IDbContextFactory<KubeHaDbContext> dbFactory, IRunScheduler scheduler, PlanPreviewer previewer, TimeProvider time)
{
    public const int MaxNameLength = 63;

    // Serialises "is a run active? then start one" within this process; the executor's compare-and-swap on the
    // cluster row is what guarantees one running run across processes.
    private readonly SemaphoreSlim _runGate = new(1, 1);

    /// <summary>Checks a draft against the spec rules and the hosts' current facts, without saving anything.</summary>
    public async Task<ClusterCreateResult> ValidateAsync(ClusterDraft draft, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (errors, warnings, _) = await ValidateAsync(db, draft, cancellationToken);
        return new ClusterCreateResult(null, errors, warnings);
    }

    /// <summary>
    /// Creates the cluster (status Draft) with its hosts in the draft's order, after validating it; refuses hosts that
    /// already belong to another cluster. Starting provisioning is a separate call (<see cref="StartRunAsync"/>).
    /// </summary>
    public async Task<ClusterCreateResult> CreateAsync(ClusterDraft draft, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var (errors, warnings, _) = await ValidateAsync(db, draft, cancellationToken);
        if (errors.Count > 0)
        {
            return new ClusterCreateResult(null, errors, warnings);
        }

        var now = time.GetUtcNow();
        var zone = string.IsNullOrWhiteSpace(draft.Zone) ? null : draft.Zone.Trim();
        var spec = draft.Spec with { KubernetesVersion = KubernetesVersion.Normalise(draft.Spec.KubernetesVersion) };
        var cluster = new Cluster { Name = draft.Name.Trim(), Spec = spec, Zone = zone, Status = ClusterStatus.Draft, CreatedAt = now, UpdatedAt = now };
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync(cancellationToken);

        // One SaveChanges per node keeps the insertion order (ClusterMembers orders by node id: first control plane first).
        foreach (var host in draft.Hosts)
        {
            foreach (var role in host.Roles.Order())
            {
                db.ClusterNodes.Add(new ClusterNode { ClusterId = cluster.Id, HostId = host.HostId, Role = role });
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        await tx.CommitAsync(cancellationToken);
        return new ClusterCreateResult(cluster.Id, [], warnings);
    }

    /// <summary>Every "would run: ..." line of a plan for a draft, per step and host, secrets masked; nothing is saved.</summary>
    public async Task<IReadOnlyList<PreviewLine>> PreviewAsync(ClusterDraft draft, string planKey, CancellationToken cancellationToken)
    {
        IReadOnlyList<ClusterMember> members;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var (errors, _, validated) = await ValidateAsync(db, draft, cancellationToken);
            if (errors.Count > 0)
            {
                // An invalid spec has no plan to show: the steps would refuse it (or fail on it) anyway.
                return [];
            }

            members = validated;
        }

        var spec = draft.Spec with { KubernetesVersion = KubernetesVersion.Normalise(draft.Spec.KubernetesVersion) };
        return await previewer.PreviewDraftAsync(spec, members, planKey, cancellationToken);
    }

    /// <summary>All clusters by name with status, node counts, endpoint and last run.</summary>
    public async Task<IReadOnlyList<ClusterSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One query for the whole page (clusters, their nodes' hosts, each one's last run), not 2 per cluster.
        var rows = await db.Clusters.AsNoTracking().Include(c => c.Nodes).ThenInclude(n => n.Host).OrderBy(c => c.Name)
            .Select(c => new { Cluster = c, LastRun = db.Runs.Where(r => r.ClusterId == c.Id).OrderByDescending(r => r.Id).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return rows.Select(r => Summarize(r.Cluster, ClusterMembers.From(r.Cluster.Nodes), r.LastRun is { } run ? RunSummary.Of(run) : null)).ToList();
    }

    /// <summary>One cluster with spec, hosts and runs (newest first); null when it does not exist.</summary>
    public async Task<ClusterDetails?> GetAsync(int clusterId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
        if (cluster is null)
        {
            return null;
        }

        var members = await ClusterMembers.LoadAsync(db, clusterId, cancellationToken);
        var runs = await RunsOf(db, clusterId).ToListAsync(cancellationToken);
        return new ClusterDetails(Summarize(cluster, members, runs.FirstOrDefault()), cluster.Spec, members, runs);
    }

    /// <summary>
    /// Forgets a cluster, its runs and logs; the machines are not touched (run the reset plan first to tear them down).
    /// Refused while a run is queued or running.
    /// </summary>
    public async Task<EditResult> DeleteAsync(int clusterId, CancellationToken cancellationToken)
    {
        await _runGate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
            if (cluster is null)
            {
                return EditResult.Ok();
            }

            if (await ActiveRunAsync(db, cluster, cancellationToken) is { } active)
            {
                return EditResult.Refused($"Run {active} of cluster '{cluster.Name}' is in progress: cancel it or wait for it to finish before deleting the cluster.");
            }

            db.Clusters.Remove(cluster);
            await db.SaveChangesAsync(cancellationToken);
            return EditResult.Ok();
        }
        finally
        {
            _runGate.Release();
        }
    }

    /// <summary>
    /// Queues a run of a plan (<see cref="PlanCatalog.Keys"/>); <see cref="RunCommandOutcome.Conflict"/> when another
    /// run of the cluster is queued or running.
    /// </summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="planKey">A key of <see cref="PlanCatalog"/>.</param>
    /// <param name="targetHostIds">The hosts concerned (reset: those to remove); null for all; refused when empty or not all members.</param>
    /// <param name="user">Who started it (recorded on the run).</param>
    /// <param name="cancellationToken">Cancels the request, not the run.</param>
    public async Task<RunCommandResult> StartRunAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken)
    {
        if (planKey is null || !PlanCatalog.Keys.Contains(planKey))
        {
            return new(RunCommandOutcome.InvalidState, Message: $"Unknown plan {HostInputRules.Quoted(planKey ?? string.Empty)}: use {string.Join(", ", PlanCatalog.Keys)}.");
        }

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

                if (await ActiveRunAsync(db, cluster, cancellationToken) is { } active)
                {
                    return new(RunCommandOutcome.Conflict, ActiveRunId: active,
                        Message: $"Run {active} of cluster '{cluster.Name}' is in progress: wait for it to finish or cancel it first.");
                }

                if (targetHostIds is not null && await CheckTargetsAsync(db, cluster, planKey, targetHostIds, cancellationToken) is { } refusal)
                {
                    return new(RunCommandOutcome.Invalid, Message: refusal, Field: "hostIds");
                }

                if (planKey == PlanCatalog.RenewCertificates && cluster.Status is ClusterStatus.Draft or ClusterStatus.Resetting)
                {
                    return new(RunCommandOutcome.InvalidState,
                        Message: $"Cluster '{cluster.Name}' has no control plane running ({cluster.Status.ToString().ToLowerInvariant()}): there are no certificates to renew; create it first.");
                }
            }

            var runId = await scheduler.StartAsync(clusterId, planKey, targetHostIds, user, cancellationToken);
            return new(RunCommandOutcome.Accepted, runId);
        }
        finally
        {
            _runGate.Release();
        }
    }

    /// <summary>Re-queues a failed, cancelled or interrupted run; it continues from the first unfinished work.</summary>
    public async Task<RunCommandResult> ResumeRunAsync(long runId, CancellationToken cancellationToken)
    {
        await _runGate.WaitAsync(cancellationToken);
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var run = await db.Runs.AsNoTracking().Include(r => r.Cluster).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
                if (run is null)
                {
                    return new(RunCommandOutcome.NotFound, Message: "This run does not exist.");
                }

                if (run.Status is not (RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted))
                {
                    return new(RunCommandOutcome.InvalidState, runId, Message: $"Run {runId} is {run.Status.ToString().ToLowerInvariant()}: only failed, cancelled or interrupted runs resume.");
                }

                if (await ActiveRunAsync(db, run.Cluster!, cancellationToken) is { } active && active != runId)
                {
                    return new(RunCommandOutcome.Conflict, runId, active, $"Run {active} of cluster '{run.Cluster!.Name}' is in progress: wait for it to finish or cancel it first.");
                }
            }

            await scheduler.ResumeAsync(runId, cancellationToken);
            return new(RunCommandOutcome.Accepted, runId);
        }
        finally
        {
            _runGate.Release();
        }
    }

    /// <summary>Asks a queued or running run to stop; it stops within the current command.</summary>
    public async Task<RunCommandResult> CancelRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
            if (status is null)
            {
                return new(RunCommandOutcome.NotFound, Message: "This run does not exist.");
            }

            if (status is not (RunStatus.Queued or RunStatus.Running))
            {
                return new(RunCommandOutcome.InvalidState, runId, Message: $"Run {runId} is {status.Value.ToString().ToLowerInvariant()}: there is nothing to cancel.");
            }
        }

        await scheduler.CancelAsync(runId, cancellationToken);
        return new(RunCommandOutcome.Accepted, runId);
    }

    private async Task<(List<SpecIssue> Errors, List<SpecIssue> Warnings, IReadOnlyList<ClusterMember> Members)> ValidateAsync(KubeHaDbContext db, ClusterDraft draft, CancellationToken cancellationToken)
    {
        var errors = new List<SpecIssue>();
        var name = draft.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(new("name", "missing-name", "Give the cluster a name."));
        }
        else if (name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            errors.Add(new("name", "invalid-name", $"Use lower-case letters, digits and '-' (a DNS label, at most {MaxNameLength} characters), e.g. prod-eu-1."));
        }
        // lower() in SQL works on SQLite and PostgreSQL alike (a NOCASE collation exists only in SQLite);
        // string.Equals(..., OrdinalIgnoreCase), which CA1862 suggests, does not translate to SQL.
#pragma warning disable CA1862
        else if (await db.Clusters.AnyAsync(c => c.Name.ToLower() == name.ToLowerInvariant(), cancellationToken))
#pragma warning restore CA1862
        {
            errors.Add(new("name", "name-taken", $"A cluster named '{name}' already exists."));
        }

        if (!string.IsNullOrWhiteSpace(draft.Zone) && !KubeHa.Core.Agents.Zones.IsValid(draft.Zone.Trim()))
        {
            errors.Add(new("zone", "invalid-zone", $"A zone is a queue name: lower-case letters, digits, '_' and '-', at most {KubeHa.Core.Agents.Zones.MaxLength} characters (e.g. dmz). Leave it empty for any agent."));
        }

        if (draft.Hosts.Count == 0)
        {
            errors.Add(new("hosts", "no-hosts", "Pick the hosts of the cluster and give each a role."));
        }

        foreach (var duplicate in draft.Hosts.GroupBy(h => h.HostId).Where(g => g.Count() > 1))
        {
            errors.Add(new("hosts", "duplicate-host", $"Host {duplicate.Key} is listed twice: give one entry all its roles.", duplicate.Key));
        }

        var ids = draft.Hosts.Select(h => h.HostId).Distinct().ToList();
        var hosts = await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);
        var owners = await db.ClusterNodes.AsNoTracking().Where(n => ids.Contains(n.HostId))
            .Select(n => new { n.HostId, n.Cluster!.Name }).ToListAsync(cancellationToken);
        var members = new List<ClusterMember>();
        foreach (var entry in draft.Hosts.DistinctBy(h => h.HostId))
        {
            if (!hosts.TryGetValue(entry.HostId, out var host))
            {
                errors.Add(new("hosts", "unknown-host", $"Host {entry.HostId} is not in the inventory (deleted meanwhile?).", entry.HostId));
                continue;
            }

            members.Add(new ClusterMember(host.Id, host.Name, host.Address, entry.Roles, host.Facts, owners.FirstOrDefault(o => o.HostId == host.Id)?.Name, host.CheckStatus));
        }

        var spec = ClusterSpecValidator.Validate(draft.Spec, members);
        errors.AddRange(spec.Errors);
        return (errors, spec.Warnings.ToList(), members);
    }

    /// <summary>
    /// Why a run's target list is refused, or null: an empty list would start a run that does nothing and "succeeds";
    /// a host that is not a member would be silently skipped by every step; create always concerns every member.
    /// </summary>
    private static async Task<string?> CheckTargetsAsync(KubeHaDbContext db, Cluster cluster, string planKey, IReadOnlyCollection<int> targetHostIds, CancellationToken cancellationToken)
    {
        if (planKey == PlanCatalog.Create)
        {
            return "A create run concerns every member of the cluster: leave hostIds out.";
        }

        if (planKey == PlanCatalog.RenewCertificates)
        {
            return "A renew-certificates run renews every control plane, one at a time: leave hostIds out.";
        }

        if (targetHostIds.Count == 0)
        {
            return $"Name at least one host of cluster '{cluster.Name}' (or leave hostIds out for every member): an empty list would do nothing.";
        }

        var members = await db.ClusterNodes.AsNoTracking().Where(n => n.ClusterId == cluster.Id).Select(n => n.HostId).Distinct().ToListAsync(cancellationToken);
        var foreign = targetHostIds.Distinct().Where(id => !members.Contains(id)).Order().ToList();
        if (foreign.Count == 0)
        {
            return null;
        }

        var names = await db.Hosts.AsNoTracking().Where(h => foreign.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Name, cancellationToken);
        var listed = string.Join(", ", foreign.Select(id => names.TryGetValue(id, out var name) ? $"{id} ({name})" : $"{id} (not in the inventory)"));
        return $"{(foreign.Count == 1 ? "Host" : "Hosts")} {listed} {(foreign.Count == 1 ? "is" : "are")} not a member of cluster '{cluster.Name}': add {(foreign.Count == 1 ? "it" : "them")} to the cluster first.";
    }

    private static IQueryable<RunSummary> RunsOf(KubeHaDbContext db, int clusterId) =>
        db.Runs.AsNoTracking().Where(r => r.ClusterId == clusterId).OrderByDescending(r => r.Id)
            .Select(r => new RunSummary(r.Id, r.ClusterId, r.Plan, r.Status, r.Attempt, r.Error, r.CreatedAt, r.StartedAt, r.FinishedAt, r.ClaimedBy));

    private static async Task<long?> ActiveRunAsync(KubeHaDbContext db, Cluster cluster, CancellationToken cancellationToken) =>
        cluster.ActiveRunId ?? await db.Runs.Where(r => r.ClusterId == cluster.Id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);

    private static ClusterSummary Summarize(Cluster cluster, IReadOnlyList<ClusterMember> members, RunSummary? lastRun)
    {
        var endpoint = ControlPlaneEndpoint.For(cluster.Spec, members);
        return new ClusterSummary(
            cluster.Id,
            cluster.Name,
            cluster.Status,
            cluster.Spec.KubernetesVersion,
            members.Count(m => m.Is(NodeRole.ControlPlane)),
            members.Count(m => m.Is(NodeRole.Worker)),
            members.Count(m => m.Is(NodeRole.Etcd)),
            members.Count(m => m.Is(NodeRole.LoadBalancer)),
            endpoint.ToString(),
            lastRun,
            cluster.ActiveRunId,
            cluster.Zone,
            cluster.Status == ClusterStatus.Degraded ? Health.ClusterHealthRecorder.SplitReasons(cluster.HealthReasons) : [],
            cluster.HealthCheckedAt,
            cluster.ProtectedKubeconfig is not null);
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
