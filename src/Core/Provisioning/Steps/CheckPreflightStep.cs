using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// Refuses, from this attempt's facts and before anything changes, hosts kubeadm's own preflight would fail on:
/// no apt, swap on when KubeHa may not manage it, too few CPUs or too little memory on a control plane, Kubernetes
/// ports taken on a host not yet in the cluster.
/// </summary>
public sealed class CheckPreflightStep : Step
{
    public override string Key => "check-preflight";

    public override string Title => "Preflight checks";

    public override bool RepeatsOnResume => true;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(1);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.KubeadmHosts.Where(context.Concerns).ToList();

    public override Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var facts = host.Context.FactsOf(host.Host.HostId);
        var state = host.State;
        var problems = new List<string>();
        if (!host.IsDryRun && state.PackageManager != "apt")
        {
            problems.Add($"no apt-get ({state.PackageManager}): KubeHa installs packages on Debian and Ubuntu hosts");
        }

        if (facts is not null)
        {
            if (facts.SwapOn && !host.Context.Spec.ManageSwap)
            {
                problems.Add("swap is on and the spec leaves swap to the operator (manageSwap: false): turn it off with swapoff -a and in /etc/fstab");
            }

            if (host.Host.Is(NodeRole.ControlPlane) && facts.CpuCount < FactWarnings.MinimumCpus)
            {
                problems.Add($"{facts.CpuCount} CPU(s): a control plane needs at least {FactWarnings.MinimumCpus}");
            }

            if (facts.MemoryMb < FactWarnings.MinimumMemoryMb)
            {
                problems.Add($"{facts.MemoryMb} MB of memory: kubeadm needs at least {FactWarnings.MinimumMemoryMb} MB");
            }

            var ours = state.HasKubeletConf || state.HasEtcdManifest;
            if (!ours && host.Host.Is(NodeRole.ControlPlane) && facts.PortsInUse.Count > 0)
            {
                problems.Add($"port(s) {string.Join(", ", facts.PortsInUse)} already in use on a host not yet in the cluster");
            }
        }

        foreach (var problem in problems)
        {
            host.Note("preflight: " + problem);
        }

        if (problems.Count > 0)
        {
            throw new StepFailedException(host.Host.Name, "preflight", null, string.Empty, $"Preflight failed on {host.Host.Name}: {string.Join("; ", problems)}.");
        }

        host.Note("preflight passed");
        return Task.CompletedTask;
    }
}
