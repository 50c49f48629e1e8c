using KubeHa.Core.Audit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Authorization;

namespace KubeHa.Web.Application;

/// <summary>
/// Every action that changes a cluster or its runs, one method each, used alike by the Razor pages and the REST
/// endpoints: authorise (the role, whatever the caller already checked), validate, call Core, audit (refusals too,
/// with their reason). A page or an endpoint only translates the <see cref="CommandResult{T}"/>, so the two cannot drift.
/// </summary>
public sealed class ClusterCommands(ClusterCatalog catalog, KubeconfigReader kubeconfigs, AuditLog audit, IAuthorizationService authorization)
{
    /// <summary>The plans a run may be started with.</summary>
    public static IReadOnlyList<string> StartablePlans => PlanCatalog.Keys;

    /// <summary>Validates and creates a cluster (status Draft); a refused create carries the validation result as its value.</summary>
    public async Task<CommandResult<ClusterCreateResult>> CreateClusterAsync(CommandActor actor, ClusterDraft draft, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<ClusterCreateResult>(KubeHaPolicies.Operator);
        }

        var created = await catalog.CreateAsync(draft, cancellationToken);
        if (!created.Succeeded)
        {
            return new(CommandOutcome.Invalid, created, "The cluster spec is invalid", string.Join(" ", created.Errors.Select(e => e.Message)), created.ErrorsByField);
        }

        var cluster = (await catalog.GetAsync(created.ClusterId!.Value, cancellationToken))!.Summary;
        await RecordAsync(actor, AuditActions.ClusterCreated, Target(cluster), $"{cluster.ControlPlanes} control planes, {cluster.Workers} workers");
        return CommandResult.Done<ClusterCreateResult>(created);
    }

    /// <summary>Forgets a cluster, its runs and logs (the machines are not touched); refused while a run is active.</summary>
    public async Task<CommandResult<ClusterSummary>> DeleteClusterAsync(CommandActor actor, int clusterId, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<ClusterSummary>(KubeHaPolicies.Operator);
        }

        if (await catalog.GetAsync(clusterId, cancellationToken) is not { } cluster)
        {
            return CommandResult.NotFound<ClusterSummary>("cluster", clusterId);
        }

        var result = await catalog.DeleteAsync(clusterId, cancellationToken);
        await RecordAsync(actor, AuditActions.ClusterDeleted, Target(cluster.Summary), result.Succeeded ? "forget only: hosts untouched" : result.Error, result.Succeeded);
        return result.Succeeded
            ? CommandResult.Done<ClusterSummary>(cluster.Summary)
            : CommandResult.Refused<ClusterSummary>("The cluster cannot be deleted now", result.Error!);
    }

    /// <summary>
    /// Queues a run of a plan; <paramref name="hostIds"/> names the hosts concerned (null: every member) and is refused
    /// when empty or when a host is not a member.
    /// </summary>
    public async Task<CommandResult<long>> StartRunAsync(CommandActor actor, int clusterId, string? plan, IReadOnlyCollection<int>? hostIds, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<long>(KubeHaPolicies.Operator);
        }

        if (plan is null || !StartablePlans.Contains(plan))
        {
            return CommandResult.Invalid<long>("plan", "Use " + string.Join(", ", StartablePlans.Select(p => $"\"{p}\"")) + ".");
        }

        var result = await catalog.StartRunAsync(clusterId, plan, hostIds, actor.Name, cancellationToken);
        await AuditRunAsync(actor, AuditActions.RunStarted, result, await ClusterTargetAsync(clusterId, result, cancellationToken), $"plan {plan}{Hosts(hostIds)}");
        return Translate(result, "cluster", clusterId);
    }

    /// <summary>
    /// Adds inventory hosts with their roles to a cluster and starts the add-nodes run that joins them (and them alone);
    /// refused per field when the cluster after the change would not validate, or while a run is active.
    /// </summary>
    public async Task<CommandResult<long>> AddMembersAsync(CommandActor actor, int clusterId, IReadOnlyList<HostRoles> hosts, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<long>(KubeHaPolicies.Operator);
        }

        var result = await catalog.AddMembersAsync(clusterId, hosts, actor.Name, cancellationToken);
        var target = await ClusterTargetAsync(clusterId, result, cancellationToken);
        await AuditRunAsync(actor, AuditActions.MembersAdded, result, target,
            $"hosts {string.Join(", ", hosts.Select(h => $"{h.HostId} ({string.Join("+", h.Roles.Order())})"))}");
        return TranslateMembership(result, clusterId);
    }

    /// <summary>
    /// Starts the removal of one member (drain, kubeadm reset, etcd member removed, load balancers resynced); refused
    /// when etcd would lose quorum, or become even unless an Admin typed the cluster's name in <paramref name="confirmEvenMembers"/>.
    /// </summary>
    public async Task<CommandResult<long>> RemoveMemberAsync(CommandActor actor, int clusterId, int hostId, string? confirmEvenMembers, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<long>(KubeHaPolicies.Operator);
        }

        var mayConfirm = await MayAsync(actor, KubeHaPolicies.Admin);
        var result = await catalog.RemoveMemberAsync(clusterId, hostId, confirmEvenMembers, mayConfirm, actor.Name, cancellationToken);
        var target = await ClusterTargetAsync(clusterId, result, cancellationToken);
        await AuditRunAsync(actor, AuditActions.MemberRemoved, result, target,
            $"host {hostId}{(string.IsNullOrWhiteSpace(confirmEvenMembers) || !result.Accepted ? "" : ", even etcd member count confirmed")}");
        return TranslateMembership(result, clusterId);
    }

    /// <summary>Re-queues a failed, cancelled or interrupted run; it continues from the first unfinished work.</summary>
    public Task<CommandResult<long>> ResumeRunAsync(CommandActor actor, long runId, CancellationToken cancellationToken) =>
        OnRunAsync(actor, runId, AuditActions.RunResumed, catalog.ResumeRunAsync, cancellationToken);

    /// <summary>Asks a queued or running run to stop; it stops within the current command.</summary>
    public Task<CommandResult<long>> CancelRunAsync(CommandActor actor, long runId, CancellationToken cancellationToken) =>
        OnRunAsync(actor, runId, AuditActions.RunCancelled, catalog.CancelRunAsync, cancellationToken);

    /// <summary>The admin kubeconfig (decrypted), audited; refused until a create run stored one.</summary>
    public async Task<CommandResult<StoredKubeconfig>> ReadKubeconfigAsync(CommandActor actor, int clusterId, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<StoredKubeconfig>(KubeHaPolicies.Operator);
        }

        if (await kubeconfigs.ReadAsync(clusterId, cancellationToken) is not { } stored)
        {
            return CommandResult.NotFound<StoredKubeconfig>("cluster", clusterId);
        }

        if (stored.Content is null)
        {
            return new(CommandOutcome.NotFound, Title: "No kubeconfig yet",
                Message: $"Cluster '{stored.ClusterName}' has no admin kubeconfig yet: it is stored when a create run reaches the fetch-kubeconfig step.");
        }

        await RecordAsync(actor, AuditActions.KubeconfigDownloaded, $"cluster '{stored.ClusterName}' (#{clusterId})", null);
        return CommandResult.Done<StoredKubeconfig>(stored);
    }

    private async Task<CommandResult<long>> OnRunAsync(
        CommandActor actor, long runId, string action, Func<long, CancellationToken, Task<RunCommandResult>> act, CancellationToken cancellationToken)
    {
        if (!await MayAsync(actor, KubeHaPolicies.Operator))
        {
            return CommandResult.Forbidden<long>(KubeHaPolicies.Operator);
        }

        var result = await act(runId, cancellationToken);
        await AuditRunAsync(actor, action, result, $"run #{runId}", null);
        return Translate(result, "run", runId);
    }

    private async Task<bool> MayAsync(CommandActor actor, string policy) =>
        (await authorization.AuthorizeAsync(actor.User, policy)).Succeeded;

    // As an operator reads it afterwards: refusals too (with the reason); nothing for an unknown cluster or run.
    private async Task AuditRunAsync(CommandActor actor, string action, RunCommandResult result, string target, string? detail)
    {
        if (result.Outcome != RunCommandOutcome.NotFound)
        {
            await RecordAsync(actor, action, target, result.Accepted ? detail : result.Message, result.Accepted);
        }
    }

    private Task RecordAsync(CommandActor actor, string action, string? target, string? detail, bool succeeded = true) =>
        audit.RecordAsync(actor.Name, action, target, detail, succeeded, actor.Via, actor.RemoteAddress, CancellationToken.None);

    private static CommandResult<long> Translate(RunCommandResult result, string what, object id) => result.Outcome switch
    {
        RunCommandOutcome.Accepted => CommandResult.Done<long>(result.RunId!.Value),
        RunCommandOutcome.NotFound => CommandResult.NotFound<long>(what, id),
        RunCommandOutcome.Conflict => new(CommandOutcome.Busy, Title: "Another run of this cluster is active", Message: result.Message, ActiveRunId: result.ActiveRunId),
        RunCommandOutcome.Invalid => CommandResult.Invalid<long>(result.Field ?? "hostIds", result.Message!),
        _ => CommandResult.Refused<long>("The run is not in a state that allows this", result.Message ?? "Not possible in the run's current state."),
    };

    private async Task<string> ClusterTargetAsync(int clusterId, RunCommandResult result, CancellationToken cancellationToken)
    {
        var name = result.Outcome == RunCommandOutcome.NotFound ? null : (await catalog.GetAsync(clusterId, cancellationToken))?.Summary.Name;
        var target = $"cluster '{name}' (#{clusterId})";
        return result.RunId is { } runId ? $"run #{runId} of {target}" : target;
    }

    // Like Translate, keeping the membership's own messages: every field's errors, the host that is not a member, the guard's arithmetic.
    private static CommandResult<long> TranslateMembership(RunCommandResult result, int clusterId) => result.Outcome switch
    {
        RunCommandOutcome.Invalid when result.Errors is { Count: > 0 } errors => new(CommandOutcome.Invalid, Title: "Some fields are invalid", Message: result.Message,
            Errors: errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray())),
        RunCommandOutcome.NotFound when result.Field is not null => new(CommandOutcome.NotFound, Title: "Not a member", Message: result.Message),
        RunCommandOutcome.InvalidState => CommandResult.Refused<long>("The membership change is refused", result.Message!),
        RunCommandOutcome.Forbidden => new(CommandOutcome.Forbidden, Title: "Not allowed", Message: result.Message),
        _ => Translate(result, "cluster", clusterId),
    };

    private static string Hosts(IReadOnlyCollection<int>? hostIds) => hostIds is null ? "" : $", hosts {string.Join(", ", hostIds)}";

    private static string Target(ClusterSummary cluster) => $"cluster '{cluster.Name}' (#{cluster.Id})";
}
