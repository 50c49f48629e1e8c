using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>kubeadm join for workers, in parallel, with a valid token (a new one when the stored one expired).</summary>
public sealed class JoinWorkersStep : Step
{
    public override string Key => "join-workers";

    public override string Title => "Join workers";

    public override bool MarksCompletion => true;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(10);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.Workers.Where(context.Concerns).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host) => !context.StateOf(host.HostId).HasKubeletConf;

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        await JoinMaterialRefresher.EnsureTokenAsync(context, cancellationToken);
        var join = await JoinMaterialRefresher.EnsureCaHashAsync(context, cancellationToken);
        host.AddKnownSecrets(join.Secrets);

        var config = KubeadmConfigRenderer.RenderJoin(context.Spec, context.Endpoint, new KubeadmNode(host.NodeName, host.Host.Address), join.BootstrapToken!, join.CaCertHash!, null);
        await LocalLoadBalancerReadiness.EnsureAsync(host, cancellationToken);
        await host.UploadAsync(JoinControlPlanesStep.JoinConfigPath, config, "600", cancellationToken);
        await host.RunAsync($"kubeadm join --config {JoinControlPlanesStep.JoinConfigPath}", cancellationToken);
        await host.RunAsync($"rm -f {JoinControlPlanesStep.JoinConfigPath}", cancellationToken);
    }

    public override Task CleanUpAsync(HostSession host, CancellationToken cancellationToken) =>
        host.TryRunAsync($"rm -f {JoinControlPlanesStep.JoinConfigPath}; {StepMarkers.Remove(host.Context.ClusterId)}; kubeadm reset -f --cri-socket {ContainerRuntimes.CriSocket(host.Context.Spec.ContainerRuntime)}", cancellationToken);
}
