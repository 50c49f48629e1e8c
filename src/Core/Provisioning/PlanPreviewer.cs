using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// Plan preview: the plan's real steps run against dry-run shells (facts from the last host checks, nothing done yet
/// assumed), collecting every "would run: ..." line per step and host, secrets masked. Nothing is persisted.
/// </summary>
public sealed class PlanPreviewer(IDbContextFactory<KubeHaDbContext> dbFactory, IPlanCatalog plans, TimeProvider time)
{
    public async Task<IReadOnlyList<PreviewLine>> PreviewAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, CancellationToken cancellationToken)
    {
        IReadOnlyList<ClusterMember> members;
        ClusterSpec spec;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            spec = (await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == clusterId, cancellationToken)).Spec;
            members = await ClusterMembers.LoadAsync(db, clusterId, cancellationToken);
        }

        return await PreviewAsync(clusterId, spec, members, planKey, targetHostIds, cancellationToken);
    }

    /// <summary>
    /// Preview of a cluster that is not saved yet (the create wizard's review): the same steps against the given spec
    /// and members, in the given order (the first control plane first).
    /// </summary>
    public Task<IReadOnlyList<PreviewLine>> PreviewDraftAsync(ClusterSpec spec, IReadOnlyList<ClusterMember> members, string planKey, CancellationToken cancellationToken) =>
        PreviewAsync(0, spec, members, planKey, null, cancellationToken);

    private async Task<IReadOnlyList<PreviewLine>> PreviewAsync(int clusterId, ClusterSpec spec, IReadOnlyList<ClusterMember> members, string planKey, IReadOnlyCollection<int>? targetHostIds, CancellationToken cancellationToken)
    {
        var plan = plans.Get(planKey);
        var sink = new CollectingSink();
        var shells = new DryRunHostShellFactory();
        var sessions = new Dictionary<int, HostSession>();
        IReadOnlySet<int> removing = plan.RemovesHosts ? (targetHostIds ?? members.Select(m => m.HostId).ToList()).ToHashSet() : new HashSet<int>();
        PlanContext? context = null;
        context = new PlanContext(clusterId, 0, spec, members, removing, new JoinMaterial(), new PreviewSecrets(), async (id, ct) =>
        {
            lock (sessions)
            {
                if (sessions.TryGetValue(id, out var existing))
                {
                    return existing;
                }
            }

            var session = new HostSession(context!.Member(id), context, await shells.OpenAsync(context.Member(id), ct), sink);
            lock (sessions)
            {
                sessions[id] = session;
            }

            return session;
        }, time, new ProvisioningOptions());

        foreach (var step in plan.Steps)
        {
            context.CurrentStepKey = step.Key;
            foreach (var host in step.SelectHosts(context).Where(h => step.ShouldRun(context, h)))
            {
                await step.RunAsync(await context.SessionAsync(host, cancellationToken), cancellationToken);
            }
        }

        return sink.Lines;
    }

    private sealed class CollectingSink : IRunLogSink
    {
        public List<PreviewLine> Lines { get; } = [];

        public void Write(string? stepKey, int? hostId, LogStream stream, string text)
        {
            lock (Lines)
            {
                Lines.Add(new PreviewLine(stepKey ?? string.Empty, hostId, text));
            }
        }

        public void WriteFile(string? stepKey, int? hostId, string path, string maskedContent)
        {
            lock (Lines)
            {
                Lines.Add(new PreviewLine(stepKey ?? string.Empty, hostId, $"file {path}", path, maskedContent));
            }
        }
    }

    /// <summary>A preview stores nothing.</summary>
    private sealed class PreviewSecrets : IClusterSecretsStore
    {
        public Task<JoinMaterial> LoadAsync(int clusterId, CancellationToken cancellationToken) => Task.FromResult(new JoinMaterial());

        public Task SaveAsync(int clusterId, JoinMaterial material, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveKubeconfigAsync(int clusterId, string kubeconfig, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ClearAsync(int clusterId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
