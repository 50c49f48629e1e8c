using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>Reads /etc/kubernetes/admin.conf from the first control plane and stores it encrypted on the cluster.</summary>
public sealed class FetchKubeconfigStep : Step
{
    public override string Key => "fetch-kubeconfig";

    public override string Title => "Fetch the admin kubeconfig";

    public override bool RepeatsOnResume => true;

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.InitHost is { } init ? [init] : [];

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var kubeconfig = await host.ReadFileAsync(KubeadmPaths.AdminConf, cancellationToken);
        if (kubeconfig is null)
        {
            if (!host.IsDryRun)
            {
                throw new StepFailedException(host.Host.Name, $"read {KubeadmPaths.AdminConf}", null, string.Empty, $"{KubeadmPaths.AdminConf} is missing on {host.Host.Name}.");
            }

            return;
        }

        host.Context.AdminKubeconfig = kubeconfig;
        await host.Context.SaveKubeconfigAsync(kubeconfig, cancellationToken);
        host.Note("admin kubeconfig stored (encrypted)");
    }
}
