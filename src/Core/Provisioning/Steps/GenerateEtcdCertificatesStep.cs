using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Remote;
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

        await host.RunAsync($"[ -f {KubeadmPaths.EtcdCaCert} ] || kubeadm init phase certs etcd-ca", cancellationToken);
        ShellScript clean = $"find /etc/kubernetes/pki -not -name ca.crt -not -name ca.key -type f -delete";
        foreach (var other in members.Skip(1).Reverse())
        {
            var dir = BundleDirectory(other);
            await host.RunAsync($"""
                if [ ! -f {dir + "/pki/etcd/server.crt"} ]; then
                  {clean}
                  {CertificatePhases(other)}
                  cp -R /etc/kubernetes/pki {dir + "/"}
                  find {dir} -name ca.key -type f -delete
                  {clean}
                fi
                """, cancellationToken);
        }

        await host.RunAsync(CertificatePhases(members[0]), cancellationToken);
    }

    public static IReadOnlyList<KubeadmNode> Members(PlanContext context) =>
        context.EtcdHosts.Select(m => new KubeadmNode(context.NodeName(m), m.Address)).ToList();

    /// <summary>Where a member's config and certificates are prepared on the first etcd host (its node name is validated).</summary>
    public static string BundleDirectory(KubeadmNode member) => $"{BundleRoot}/{member.Name}";

    public static string ConfigPath(KubeadmNode member) => $"{BundleDirectory(member)}/kubeadmcfg.yaml";

    private static ShellScript CertificatePhases(KubeadmNode member) =>
        ShellScript.Lines(Phases.Select(phase => (ShellScript)$"kubeadm init phase certs {phase} --config={ConfigPath(member)}"));
}
