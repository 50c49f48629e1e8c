using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// Drains and deletes each node a partial reset removes, one at a time, from a control plane that stays (seed 002,
/// "Destruction"). A full reset skips it: there is nowhere to move the pods to.
/// </summary>
public sealed class DrainNodesStep : Step
{
    public override string Key => "drain-nodes";

    public override string Title => "Drain nodes";

    public override Fanout Fanout => Fanout.OneAtATime;

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.AdminHost is null ? [] : context.KubernetesNodes.Where(context.IsRemoving).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host) => context.StateOf(host.HostId).HasKubeletConf;

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var admin = await host.Context.SessionAsync(host.Context.AdminHost!, cancellationToken);
        await admin.RunAsync($"{Kubectl.Admin} drain {host.NodeName} --delete-emptydir-data --force --ignore-daemonsets --timeout=300s", cancellationToken);
        await admin.RunAsync($"{Kubectl.Admin} delete node {host.NodeName} --ignore-not-found", cancellationToken);
    }
}
