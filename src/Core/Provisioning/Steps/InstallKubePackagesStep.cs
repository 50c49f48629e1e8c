using KubeHa.Core.Clusters;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>kubelet, kubeadm and kubectl pinned to the spec's version and held (apt-mark hold), kubelet enabled.</summary>
public sealed class InstallKubePackagesStep : Step
{
    public override string Key => "install-kube-packages";

    public override string Title => "Install kubelet, kubeadm and kubectl";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.KubeadmHosts.Where(context.Concerns).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host)
    {
        var s = context.StateOf(host.HostId);
        var tag = KubernetesVersion.Parse(context.Spec.KubernetesVersion).Tag;
        return s.KubeadmVersion != tag || s.KubeletVersion != tag || !s.KubePackagesHeld;
    }

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var version = KubernetesVersion.Parse(host.Context.Spec.KubernetesVersion);
        await host.RunAsync(RepositoryScript(version), cancellationToken);
        await host.RunAsync($"apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1 || true", cancellationToken);
        await host.RunAsync(
            $"DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades --allow-change-held-packages kubelet={version + "-*"} kubeadm={version + "-*"} kubectl={version + "-*"}",
            cancellationToken);
        await host.RunAsync($"apt-mark hold kubelet kubeadm kubectl && systemctl enable kubelet", cancellationToken);
    }

    /// <summary>
    /// Points apt at the cluster's minor, always: a host reused from a cluster of another minor has a
    /// <c>kubernetes.list</c> for that minor, and apt would then not find <c>1.31.2-*</c>. The list (and key) are
    /// rewritten only when they differ, and the index updated only then or when the version is not listed yet.
    /// </summary>
    internal static ShellScript RepositoryScript(KubernetesVersion version, string sourcesDirectory = "/etc/apt/sources.list.d", string keyringsDirectory = "/etc/apt/keyrings")
    {
        var repo = $"https://pkgs.k8s.io/core:/stable:/{version.Channel}/deb/";
        return $$"""
            line="deb [signed-by={{keyringsDirectory}}/kubernetes-apt-keyring.gpg] {{repo}} /"
            if [ "$(cat {{sourcesDirectory}}/kubernetes.list 2>/dev/null)" != "$line" ]; then
              mkdir -p {{keyringsDirectory}}
              curl -fsSL {{repo}}Release.key | gpg --dearmor --yes -o {{keyringsDirectory}}/kubernetes-apt-keyring.gpg
              echo "$line" > {{sourcesDirectory}}/kubernetes.list
              echo "apt repository set to {{repo}}"
              apt-get update -q
            elif ! apt-cache madison kubeadm 2>/dev/null | grep -q ' {{version.ToString()}}-'; then
              apt-get update -q
            fi
            """;
    }
}
