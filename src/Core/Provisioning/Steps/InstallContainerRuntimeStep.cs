using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>containerd (SystemdCgroup = true) or CRI-O (cgroup_manager systemd), installed, configured, running.</summary>
public sealed class InstallContainerRuntimeStep : Step
{
    public override string Key => "install-container-runtime";

    public override string Title => "Install the container runtime";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.KubeadmHosts.Where(context.Concerns).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host)
    {
        var s = context.StateOf(host.HostId);
        return context.Spec.ContainerRuntime == ContainerRuntime.CriO
            ? !(s.CrioInstalled && s.CrioSystemdCgroup)
            : !(s.ContainerdInstalled && s.ContainerdSystemdCgroup);
    }

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var spec = host.Context.Spec;
        var version = KubernetesVersion.Parse(spec.KubernetesVersion);
        if (spec.ContainerRuntime == ContainerRuntime.CriO)
        {
            // Debian has no cri-o package: it comes from the CRI-O project's repository for the same minor version as
            // Kubernetes (cri-o/packaging; pkgs.k8s.io/addons:/cri-o:/stable:/v1.XX/deb).
            var repo = $"https://pkgs.k8s.io/addons:/cri-o:/stable:/{version.Channel}/deb/";
            await host.RunAsync($$"""
                if ! command -v crio >/dev/null 2>&1; then
                  if [ ! -f /etc/apt/sources.list.d/cri-o.list ]; then
                    mkdir -p /etc/apt/keyrings
                    curl -fsSL {{repo}}Release.key | gpg --dearmor --yes -o /etc/apt/keyrings/cri-o-apt-keyring.gpg
                    echo 'deb [signed-by=/etc/apt/keyrings/cri-o-apt-keyring.gpg] {{repo}} /' > /etc/apt/sources.list.d/cri-o.list
                  fi
                  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q cri-o
                fi
                """, cancellationToken);
            await host.UploadAsync(NodeFiles.CrioPath, NodeFiles.Crio(version), "644", cancellationToken);
        }
        else
        {
            await host.RunAsync($"command -v containerd >/dev/null 2>&1 || {{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q containerd; }}", cancellationToken);
            await host.UploadAsync(NodeFiles.ContainerdPath, NodeFiles.Containerd(version), "644", cancellationToken);
        }

        var service = ContainerRuntimes.ServiceName(spec.ContainerRuntime);
        await host.RunAsync($"systemctl enable {service} && systemctl restart {service}", cancellationToken);
    }
}
