using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>kubelet, kubeadm and kubectl pinned to the spec's version and held (apt-mark hold), kubelet enabled.</summary>
public sealed class InstallKubePackagesStep : Step
{
    public override string Key => "install-kube-packages";

    public override string Title => "Install kubelet, kubeadm and kubectl";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.KubeadmHosts.Where(m => !context.IsRemoving(m)).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host)
    {
        var s = context.StateOf(host.HostId);
        var tag = KubernetesVersion.Parse(context.Spec.KubernetesVersion).Tag;
        return s.KubeadmVersion != tag || s.KubeletVersion != tag || !s.KubePackagesHeld;
    }

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var version = KubernetesVersion.Parse(host.Context.Spec.KubernetesVersion);
        var repo = $"https://pkgs.k8s.io/core:/stable:/{version.Channel}/deb/";
        await host.RunAsync($$"""
            if ! apt-cache madison kubeadm 2>/dev/null | grep -q ' {{version.ToString()}}-'; then
              if [ ! -f /etc/apt/sources.list.d/kubernetes.list ]; then
                mkdir -p /etc/apt/keyrings
                curl -fsSL {{repo}}Release.key | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
                echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] {{repo}} /' > /etc/apt/sources.list.d/kubernetes.list
              fi
              apt-get update -q
            fi
            """, cancellationToken);
        await host.RunAsync($"apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1 || true", cancellationToken);
        await host.RunAsync(
            $"DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades --allow-change-held-packages kubelet={version + "-*"} kubeadm={version + "-*"} kubectl={version + "-*"}",
            cancellationToken);
        await host.RunAsync($"apt-mark hold kubelet kubeadm kubectl && systemctl enable kubelet", cancellationToken);
    }
}
