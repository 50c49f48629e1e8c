using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// External etcd: the etcd CA certificate and the API server's etcd client certificate and key copied from the first
/// etcd host to the control planes not yet joined (seed 002, "Configure the first control plane node").
/// </summary>
public sealed class DistributeEtcdClientCertificatesStep : Step
{
    public override string Key => "distribute-etcd-client-certificates";

    public override string Title => "Distribute etcd client certificates";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.Spec.EtcdTopology == EtcdTopology.External ? context.ControlPlanes.Where(context.Concerns).ToList() : [];

    public override bool ShouldRun(PlanContext context, ClusterMember host) => !context.StateOf(host.HostId).HasKubeletConf;

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var first = await host.Context.SessionAsync(host.Context.EtcdHosts.First(), cancellationToken);
        foreach (var (path, mode) in new[] { (KubeadmConfigRenderer.EtcdCaFile, "644"), (KubeadmConfigRenderer.EtcdClientCertFile, "644"), (KubeadmConfigRenderer.EtcdClientKeyFile, "600") })
        {
            var content = await first.ReadFileAsync(path, cancellationToken);
            if (content is null && !first.IsDryRun)
            {
                throw new StepFailedException(first.Host.Name, $"read {path}", null, string.Empty, $"{path} is missing on {first.Host.Name}: generate the etcd certificates first.");
            }

            await host.UploadAsync(path, content ?? string.Empty, mode, cancellationToken);
        }
    }
}
