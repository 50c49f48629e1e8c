using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// kubeadm reset -f on each removed host (workers first, then control planes and etcd members, one at a time), then
/// what reset leaves behind: iptables rules, IPVS tables, CNI config, KubeHa's files (seed 002, "Destruction").
/// </summary>
public sealed class ResetNodesStep : Step
{
    public override string Key => "reset-nodes";

    public override string Title => "Reset nodes (kubeadm reset)";

    public override Fanout Fanout => Fanout.OneAtATime;

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.KubeadmHosts.Where(context.IsRemoving)
            .OrderBy(m => m.Is(NodeRole.ControlPlane) || m.Is(NodeRole.Etcd) ? 1 : 0)
            .ToList();

    public override Task RunAsync(HostSession host, CancellationToken cancellationToken) =>
        host.RunAsync($"""
            kubeadm reset -f --cri-socket {ContainerRuntimes.CriSocket(host.Context.Spec.ContainerRuntime)}
            iptables -F && iptables -t nat -F && iptables -t mangle -F && iptables -X
            if command -v ipvsadm >/dev/null 2>&1; then ipvsadm -C; fi
            rm -rf /etc/cni/net.d /etc/kubernetes/kubeha /etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf
            {StepMarkers.Remove(host.Context.ClusterId)}
            systemctl daemon-reload
            """, cancellationToken);
}
