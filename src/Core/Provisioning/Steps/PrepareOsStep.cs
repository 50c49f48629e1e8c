using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>Swap off (now and in /etc/fstab), overlay and br_netfilter loaded at boot, bridge and forwarding sysctls.</summary>
public sealed class PrepareOsStep : Step
{
    public override string Key => "prepare-os";

    public override string Title => "Prepare the operating system";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.KubeadmHosts.Where(context.Concerns).ToList();

    public override bool ShouldRun(PlanContext context, ClusterMember host)
    {
        var s = context.StateOf(host.HostId);
        var swapDone = !context.Spec.ManageSwap || (!s.SwapActive && !s.SwapInFstab);
        return !(s.ModulesLoaded && s.SysctlApplied && swapDone);
    }

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        await host.UploadAsync(NodeFiles.ModulesPath, NodeFiles.Modules, "644", cancellationToken);
        await host.UploadAsync(NodeFiles.SysctlPath, NodeFiles.Sysctl, "644", cancellationToken);
        await host.RunAsync($"modprobe overlay && modprobe br_netfilter", cancellationToken);
        await host.RunAsync($"sysctl --system >/dev/null", cancellationToken);
        if (host.Context.Spec.ManageSwap)
        {
            await host.RunAsync($"swapoff -a", cancellationToken);
            await host.RunAsync(
                $"sed -ri '/^[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]/s/^/#kubeha-swap# /' /etc/fstab",
                cancellationToken);
        }
    }
}
