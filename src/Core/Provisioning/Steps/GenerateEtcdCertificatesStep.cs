using System.Text;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// External etcd (seed 002 §6): on the first etcd host, a kubeadm config per member, the etcd CA once, and each
/// member's certificates generated with kubeadm into a bundle directory (CA key removed from the others' bundles).
/// Generates only what is missing, so it converges.
/// </summary>
public sealed class GenerateEtcdCertificatesStep : Step
{
    public const string BundleRoot = "/etc/kubernetes/kubeha/etcd";

    private static readonly string[] Phases = ["etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client"];

    public override string Key => "generate-etcd-certificates";

    public override string Title => "Generate external etcd certificates";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.Spec.EtcdTopology == EtcdTopology.External && context.EtcdHosts.FirstOrDefault() is { } first && !context.IsRemoving(first) ? [first] : [];

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        var members = Members(context);
        for (var i = 0; i < members.Count; i++)
        {
            await host.UploadAsync(ConfigPath(members[i]), KubeadmConfigRenderer.RenderEtcdMember(context.Spec, members, i), "644", cancellationToken);
        }

        await host.RunAsync("[ -f /etc/kubernetes/pki/etcd/ca.crt ] || kubeadm init phase certs etcd-ca", cancellationToken);
        const string Clean = "find /etc/kubernetes/pki -not -name ca.crt -not -name ca.key -type f -delete";
        foreach (var other in members.Skip(1).Reverse())
        {
            var dir = $"{BundleRoot}/{other.Name}";
            var script = new StringBuilder($"if [ ! -f {dir}/pki/etcd/server.crt ]; then\n  {Clean}\n");
            foreach (var phase in Phases)
            {
                script.Append($"  kubeadm init phase certs {phase} --config={ConfigPath(other)}\n");
            }

            script.Append($"  cp -R /etc/kubernetes/pki {dir}/\n  find {dir} -name ca.key -type f -delete\n  {Clean}\nfi");
            await host.RunAsync(script.ToString(), cancellationToken);
        }

        var self = new StringBuilder();
        foreach (var phase in Phases)
        {
            self.Append($"kubeadm init phase certs {phase} --config={ConfigPath(members[0])}\n");
        }

        await host.RunAsync(self.ToString().TrimEnd(), cancellationToken);
    }

    public static IReadOnlyList<KubeadmNode> Members(PlanContext context) =>
        context.EtcdHosts.Select(m => new KubeadmNode(context.NodeName(m), m.Address)).ToList();

    public static string ConfigPath(KubeadmNode member) => $"{BundleRoot}/{member.Name}/kubeadmcfg.yaml";
}
