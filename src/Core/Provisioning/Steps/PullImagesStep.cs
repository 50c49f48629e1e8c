using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>kubeadm config images pull on control planes and etcd hosts not yet in the cluster (seed 000 does it first).</summary>
public sealed class PullImagesStep : Step
{
    public override string Key => "pull-images";

    public override string Title => "Pull control-plane images";

    public override TimeSpan Timeout => TimeSpan.FromMinutes(20);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.Members.Where(m => (m.Is(NodeRole.ControlPlane) || m.Is(NodeRole.Etcd)) && !context.IsRemoving(m)).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host)
    {
        var s = context.StateOf(host.HostId);
        return !s.HasKubeletConf && !s.HasEtcdManifest;
    }

    public override Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var spec = host.Context.Spec;
        var tag = KubernetesVersion.Parse(spec.KubernetesVersion).Tag;
        return host.RunAsync($"kubeadm config images pull --kubernetes-version {tag} --cri-socket {ContainerRuntimes.CriSocket(spec.ContainerRuntime)}", cancellationToken);
    }
}
