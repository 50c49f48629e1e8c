using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// External etcd members: each host receives its certificate bundle from the first etcd host (copied over KubeHa's
/// own connections, never logged), its kubeadm config, the kubelet drop-in that makes the kubelet run etcd alone,
/// then <c>kubeadm init phase etcd local</c>.
/// </summary>
public sealed class StartEtcdMembersStep : Step
{
    private const string DropIn = "/etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf";

    public override string Key => "start-etcd-members";

    public override string Title => "Start external etcd members";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.Spec.EtcdTopology == EtcdTopology.External ? context.EtcdHosts.Where(m => !context.IsRemoving(m)).ToList() : [];

    public override bool ShouldRun(PlanContext context, ClusterMember host) => !context.StateOf(host.HostId).HasEtcdManifest;

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        var members = GenerateEtcdCertificatesStep.Members(context);
        var index = context.EtcdHosts.ToList().FindIndex(m => m.HostId == host.Host.HostId);
        var self = members[index];
        var config = GenerateEtcdCertificatesStep.ConfigPath(self);
        if (index > 0)
        {
            var first = await context.SessionAsync(context.EtcdHosts.First(), cancellationToken);
            var bundle = await first.QueryAsync($"pack certificates for {self.Name}",
                $"tar -C {GenerateEtcdCertificatesStep.BundleDirectory(self)} -czf - pki | base64 -w0", cancellationToken);
            await host.UploadAsync("/etc/kubernetes/kubeha/etcd-pki.tgz.b64", bundle, "600", cancellationToken);
            await host.RunAsync($"base64 -d /etc/kubernetes/kubeha/etcd-pki.tgz.b64 | tar -C /etc/kubernetes -xzf - && chown -R root:root /etc/kubernetes/pki && rm -f /etc/kubernetes/kubeha/etcd-pki.tgz.b64", cancellationToken);
            await host.UploadAsync(config, KubeadmConfigRenderer.RenderEtcdMember(context.Spec, members, index), "644", cancellationToken);
        }

        await host.UploadAsync(DropIn, KubeadmConfigRenderer.EtcdKubeletDropIn(context.Spec), "644", cancellationToken);
        await host.RunAsync($"systemctl daemon-reload && systemctl restart kubelet", cancellationToken);
        await host.RunAsync($"kubeadm init phase etcd local --config={config}", cancellationToken);
    }
}
