using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// After the removed hosts were reset: their etcd members are gone from the member list, removed from a healthy peer
/// that stays. kubeadm reset removes a stacked member itself when it reaches etcd, but not an external etcd host's,
/// nor one whose etcd was already down: a stale member would count against quorum forever. One host at a time; skipped
/// when no etcd member stays (a full reset).
/// </summary>
public sealed class RemoveEtcdMembersStep : Step
{
    public override string Key => "remove-etcd-members";

    public override string Title => "Remove etcd members (from a peer that stays)";

    public override Fanout Fanout => Fanout.OneAtATime;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(3);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        EtcdMembers(context).Any(m => !context.IsRemoving(m)) ? EtcdMembers(context).Where(context.IsRemoving).ToList() : [];

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        var leaving = host.Host;
        var failures = new List<string>();
        foreach (var peer in EtcdMembers(context).Where(m => !context.IsRemoving(m)))
        {
            var session = await context.SessionAsync(peer, cancellationToken);
            var etcdctl = Etcdctl.On(context.Spec, peer.Address, session.NodeName);
            var listed = await session.TryRunAsync($"{etcdctl}\n{Etcdctl.Command} member list", cancellationToken);
            if (!listed.Succeeded)
            {
                failures.Add($"{peer.Name}: etcdctl member list exited {listed.ExitCode}");
                continue;
            }

            if (session.IsDryRun)
            {
                session.Note($"would remove {leaving.Name}'s etcd member (by name or peer URL) if it is still listed");
                return;
            }

            var stale = EtcdctlOutput.ParseMembers(listed.Output, string.Empty).Where(m => IsOf(m, context, leaving)).ToList();
            if (stale.Count == 0)
            {
                session.Note($"{leaving.Name} is no longer an etcd member");
                return;
            }

            foreach (var member in stale)
            {
                await session.RunAsync($"{etcdctl}\n{Etcdctl.Command} member remove {member.Id}", cancellationToken);
                session.Note($"removed etcd member {member.Id} ({(member.Name.Length > 0 ? member.Name : member.PeerUrl)}) of {leaving.Name}");
            }

            return;
        }

        throw new StepFailedException(leaving.Name, "etcdctl member list", null, string.Empty,
            $"No etcd member that stays answered, so {leaving.Name}'s member could not be checked or removed: {string.Join("; ", failures)}.");
    }

    /// <summary>Stacked etcd runs on the control planes; external etcd on the etcd hosts.</summary>
    private static IEnumerable<ClusterMember> EtcdMembers(PlanContext context) =>
        context.Spec.EtcdTopology == EtcdTopology.External ? context.EtcdHosts : context.ControlPlanes;

    // A member is the leaving host's when it carries its node name or its peer URL (an unstarted member has no name).
    private static bool IsOf(EtcdMember member, PlanContext context, ClusterMember leaving) =>
        (member.Name.Length > 0 && member.Name == context.NodeName(leaving))
        || member.PeerUrl == NetworkAddress.Url("https", leaving.Address, KubernetesPorts.EtcdPeer);
}
