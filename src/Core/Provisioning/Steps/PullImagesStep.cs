using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// Pre-pulls every image the cluster needs, before anything depends on it: <c>kubeadm config images pull</c> on control
/// planes and etcd hosts (seed 000 does it first), and through the runtime (<c>crictl pull</c>, skipping images already
/// present) the CNI's images, the sandbox image, kube-proxy and CoreDNS on every node. Hosts without internet fail here,
/// naming the images to load, instead of leaving nodes NotReady later. The first host's log (and the plan preview) lists
/// every image of the cluster (<see cref="ClusterImages"/>).
/// </summary>
public sealed class PullImagesStep : Step
{
    public override string Key => "pull-images";

    public override string Title => "Pull images";

    public override TimeSpan Timeout => TimeSpan.FromMinutes(20);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.Members.Where(m => (m.IsKubernetesNode || m.Is(NodeRole.Etcd)) && context.Concerns(m)).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host)
    {
        var s = context.StateOf(host.HostId);
        return !s.HasKubeletConf && !s.HasEtcdManifest;
    }

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var spec = host.Context.Spec;
        var version = KubernetesVersion.Parse(spec.KubernetesVersion);
        var socket = ContainerRuntimes.CriSocket(spec.ContainerRuntime);
        var selected = SelectHosts(host.Context).Where(h => ShouldRun(host.Context, h)).ToList();
        if (selected.Count > 0 && selected[0].HostId == host.Host.HostId)
        {
            host.Note("images this cluster needs (hosts without internet must have them loaded or reach a registry mirror):");
            foreach (var line in ClusterImages.For(spec).SelectMany(g => g.Lines()))
            {
                host.Note("  " + line);
            }
        }

        if (host.Host.Is(NodeRole.ControlPlane) || host.Host.Is(NodeRole.Etcd))
        {
            await host.RunAsync($"kubeadm config images pull --kubernetes-version {version.Tag} --cri-socket {socket}", cancellationToken);
        }

        if (host.Host.IsKubernetesNode)
        {
            await host.RunAsync(CrictlPullScript(spec, version, socket, host.Host.Is(NodeRole.ControlPlane)), cancellationToken);
        }
    }

    /// <summary>
    /// Pulls through the runtime each image a node runs that kubeadm did not pull here: the CNI's, the sandbox image
    /// KubeHa configures, and on workers kube-proxy and the CoreDNS tag the installed kubeadm pins.
    /// </summary>
    internal static ShellScript CrictlPullScript(ClusterSpec spec, KubernetesVersion version, string socket, bool controlPlane)
    {
        List<string> images = [.. ClusterImages.Cni(spec), ContainerRuntimes.PauseImage(version)];
        ShellScript fromKubeadm = $"";
        if (!controlPlane)
        {
            images.Add(ClusterImages.KubeProxy(version));
            fromKubeadm = $" $(kubeadm config images list --kubernetes-version {version.Tag} | grep -E /coredns/coredns:)";
        }

        IEnumerable<string> distinct = images.Distinct(StringComparer.Ordinal).ToList();
        return $$"""
            runtime() { crictl --runtime-endpoint {{socket}} "$@"; }
            missing=""
            for image in {{distinct}}{{fromKubeadm}}; do
              if runtime inspecti "$image" >/dev/null 2>&1; then echo "present: $image"
              elif runtime pull "$image" >/dev/null; then echo "pulled: $image"
              else missing="$missing $image"; fi
            done
            if [ -n "$missing" ]; then
              echo "could not pull:$missing" >&2
              echo "hosts without internet need these images loaded first (ctr -n k8s.io images import, or a registry mirror); the plan preview lists every image" >&2
              exit 1
            fi
            """;
    }
}
