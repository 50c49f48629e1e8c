using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// kubeadm join --control-plane, one host at a time (etcd membership grows by one and settles before the next),
/// with a valid token and a fresh certificate key (certificates re-uploaded when the last upload is over two hours old).
/// </summary>
public sealed class JoinControlPlanesStep : Step
{
    public const string JoinConfigPath = "/etc/kubernetes/kubeha/kubeadm-join.yaml";

    public override string Key => "join-control-planes";

    public override string Title => "Join control planes (one at a time)";

    public override Fanout Fanout => Fanout.OneAtATime;

    public override bool MarksCompletion => true;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(15);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.ControlPlanes.Where(m => m.HostId != context.InitHost?.HostId && context.Concerns(m)).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host) => !context.StateOf(host.HostId).HasKubeletConf;

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        await JoinMaterialRefresher.EnsureTokenAsync(context, cancellationToken);
        await JoinMaterialRefresher.EnsureCertificateKeyAsync(context, cancellationToken);
        var join = await JoinMaterialRefresher.EnsureCaHashAsync(context, cancellationToken);
        host.AddKnownSecrets(join.Secrets);

        var config = KubeadmConfigRenderer.RenderJoin(context.Spec, context.Endpoint, new KubeadmNode(host.NodeName, host.Host.Address), join.BootstrapToken!, join.CaCertHash!, join.CertificateKey);
        await LocalLoadBalancerReadiness.EnsureAsync(host, cancellationToken);
        await host.UploadAsync(JoinConfigPath, config, "600", cancellationToken);
        await host.RunAsync($"kubeadm join --config {JoinConfigPath}", cancellationToken);
        await host.RunAsync($"rm -f {JoinConfigPath}", cancellationToken);
    }

    /// <summary>A failed join leaves a half-configured node (and possibly an etcd member): reset it for the next attempt.</summary>
    public override Task CleanUpAsync(HostSession host, CancellationToken cancellationToken) =>
        host.TryRunAsync($"rm -f {JoinConfigPath}; {StepMarkers.Remove(host.Context.ClusterId)}; kubeadm reset -f --cri-socket {ContainerRuntimes.CriSocket(host.Context.Spec.ContainerRuntime)}", cancellationToken);
}
