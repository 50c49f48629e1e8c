using System.Globalization;
using System.Net;
using System.Text;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// Renders kubeadm configuration files: kubeadm.k8s.io/v1beta3 for Kubernetes 1.29 and 1.30, v1beta4 for 1.31 and
/// later (v1beta3 is deprecated there). Files carry the bootstrap token and certificate key: they are uploaded with
/// mode 600 and never logged.
/// </summary>
public static class KubeadmConfigRenderer
{
    public const string EtcdCaFile = "/etc/kubernetes/pki/etcd/ca.crt";
    public const string EtcdClientCertFile = "/etc/kubernetes/pki/apiserver-etcd-client.crt";
    public const string EtcdClientKeyFile = "/etc/kubernetes/pki/apiserver-etcd-client.key";

    public static string ApiVersion(KubernetesVersion version) =>
        version.Minor >= 31 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";

    /// <summary>InitConfiguration + ClusterConfiguration + KubeletConfiguration for the first control plane.</summary>
    public static string RenderInit(KubeadmInitInput input)
    {
        var version = KubernetesVersion.Parse(input.Spec.KubernetesVersion);
        var api = ApiVersion(version);
        var sb = new StringBuilder();
        sb.AppendLine("# Managed by KubeHa: kubeadm init configuration. Contains secrets (mode 600).");
        sb.AppendLine($"apiVersion: {api}");
        sb.AppendLine("kind: InitConfiguration");
        AppendBootstrapToken(sb, input.Spec, input.BootstrapToken);
        sb.AppendLine($"certificateKey: {Yaml.Quote(input.CertificateKey)}");
        AppendLocalEndpoint(sb, "", input.Node.Address, input.Spec.ApiServerPort);
        AppendNodeRegistration(sb, input.Spec, input.Node);
        sb.AppendLine("---");
        AppendClusterConfiguration(sb, api, version, input);
        sb.AppendLine("---");
        sb.AppendLine("apiVersion: kubelet.config.k8s.io/v1beta1");
        sb.AppendLine("kind: KubeletConfiguration");
        sb.AppendLine("cgroupDriver: systemd");
        return sb.ToString();
    }

    /// <summary>
    /// The InitConfiguration `kubeadm token create --config` reads: the bootstrap token in a file (mode 600, deleted after
    /// use), never on a command line other users of the host can read in the process list.
    /// </summary>
    public static string RenderTokenConfig(ClusterSpec spec, string bootstrapToken)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Managed by KubeHa: a new bootstrap token for kubeadm token create. Contains a secret (mode 600).");
        sb.AppendLine($"apiVersion: {ApiVersion(KubernetesVersion.Parse(spec.KubernetesVersion))}");
        sb.AppendLine("kind: InitConfiguration");
        AppendBootstrapToken(sb, spec, bootstrapToken);
        return sb.ToString();
    }

    private static void AppendBootstrapToken(StringBuilder sb, ClusterSpec spec, string bootstrapToken)
    {
        sb.AppendLine("bootstrapTokens:");
        sb.AppendLine($"- token: {Yaml.Quote(bootstrapToken)}");
        sb.AppendLine("  description: \"KubeHa join token\"");
        sb.AppendLine($"  ttl: {Yaml.Quote(spec.BootstrapTokenTtlHours.ToString(CultureInfo.InvariantCulture) + "h0m0s")}");
        sb.AppendLine("  usages: [\"signing\", \"authentication\"]");
        sb.AppendLine("  groups: [\"system:bootstrappers:kubeadm:default-node-token\"]");
    }

    /// <summary>JoinConfiguration for a worker, or for a control plane when <paramref name="certificateKey"/> is given.</summary>
    public static string RenderJoin(ClusterSpec spec, ControlPlaneEndpoint endpoint, KubeadmNode node, string bootstrapToken, string caCertHash, string? certificateKey)
    {
        var api = ApiVersion(KubernetesVersion.Parse(spec.KubernetesVersion));
        var sb = new StringBuilder();
        sb.AppendLine("# Managed by KubeHa: kubeadm join configuration. Contains secrets (mode 600).");
        sb.AppendLine($"apiVersion: {api}");
        sb.AppendLine("kind: JoinConfiguration");
        sb.AppendLine("discovery:");
        sb.AppendLine("  bootstrapToken:");
        sb.AppendLine($"    apiServerEndpoint: {Yaml.Quote(endpoint.ToString())}");
        sb.AppendLine($"    token: {Yaml.Quote(bootstrapToken)}");
        sb.AppendLine($"    caCertHashes: [{Yaml.Quote(caCertHash)}]");
        AppendNodeRegistration(sb, spec, node);
        if (certificateKey is not null)
        {
            sb.AppendLine("controlPlane:");
            sb.AppendLine($"  certificateKey: {Yaml.Quote(certificateKey)}");
            AppendLocalEndpoint(sb, "  ", node.Address, spec.ApiServerPort);
        }

        return sb.ToString();
    }

    /// <summary>
    /// ClusterConfiguration for one external etcd member (seed 002 §6), from which kubeadm generates its certificates
    /// and its static pod: <c>kubeadm init phase certs etcd-server --config ...</c>, <c>kubeadm init phase etcd local</c>.
    /// </summary>
    public static string RenderEtcdMember(ClusterSpec spec, IReadOnlyList<KubeadmNode> members, int index)
    {
        var version = KubernetesVersion.Parse(spec.KubernetesVersion);
        var api = ApiVersion(version);
        var self = members[index];
        var initialCluster = string.Join(',', members.Select(m => $"{m.Name}={NetworkAddress.Url("https", m.Address, KubernetesPorts.EtcdPeer)}"));
        var args = new (string Name, string Value)[]
        {
            ("initial-cluster", initialCluster),
            ("initial-cluster-state", "new"),
            ("name", self.Name),
            ("listen-peer-urls", NetworkAddress.Url("https", self.Address, KubernetesPorts.EtcdPeer)),
            ("listen-client-urls", NetworkAddress.Url("https", self.Address, KubernetesPorts.EtcdClient)),
            ("advertise-client-urls", NetworkAddress.Url("https", self.Address, KubernetesPorts.EtcdClient)),
            ("initial-advertise-peer-urls", NetworkAddress.Url("https", self.Address, KubernetesPorts.EtcdPeer)),
        };
        var sb = new StringBuilder();
        sb.AppendLine("# Managed by KubeHa: external etcd member configuration.");
        sb.AppendLine($"apiVersion: {api}");
        sb.AppendLine("kind: ClusterConfiguration");
        sb.AppendLine($"kubernetesVersion: {Yaml.Quote(version.Tag)}");
        sb.AppendLine("etcd:");
        sb.AppendLine("  local:");
        sb.AppendLine($"    serverCertSANs: [{Yaml.Quote(self.Address)}]");
        sb.AppendLine($"    peerCertSANs: [{Yaml.Quote(self.Address)}]");
        sb.AppendLine("    extraArgs:");
        foreach (var (name, value) in args)
        {
            // v1beta4 turned extraArgs maps into lists of name/value pairs.
            sb.AppendLine(api.EndsWith("v1beta4", StringComparison.Ordinal)
                ? $"    - name: {Yaml.Quote(name)}\n      value: {Yaml.Quote(value)}"
                : $"      {name}: {Yaml.Quote(value)}");
        }

        return sb.ToString();
    }

    /// <summary>Kubelet drop-in that makes the kubelet a plain static-pod runner for an etcd-only host (seed 002 §6 step 1).</summary>
    public static string EtcdKubeletDropIn(ClusterSpec spec) => $"""
        # Managed by KubeHa: the kubelet only runs the etcd static pod on this host.
        [Service]
        ExecStart=
        ExecStart=/usr/bin/kubelet --address=127.0.0.1 --pod-manifest-path=/etc/kubernetes/manifests --cgroup-driver=systemd --container-runtime-endpoint={ContainerRuntimes.CriSocket(spec.ContainerRuntime)}
        Restart=always

        """;

    private static void AppendClusterConfiguration(StringBuilder sb, string api, KubernetesVersion version, KubeadmInitInput input)
    {
        var spec = input.Spec;
        sb.AppendLine($"apiVersion: {api}");
        sb.AppendLine("kind: ClusterConfiguration");
        sb.AppendLine($"kubernetesVersion: {Yaml.Quote(version.Tag)}");
        sb.AppendLine($"controlPlaneEndpoint: {Yaml.Quote(input.Endpoint.ToString())}");
        sb.AppendLine("networking:");
        sb.AppendLine($"  podSubnet: {Yaml.Quote(spec.PodSubnet)}");
        sb.AppendLine($"  serviceSubnet: {Yaml.Quote(spec.ServiceSubnet)}");
        sb.AppendLine("apiServer:");
        sb.AppendLine("  certSANs:");
        foreach (var san in CertSans(input))
        {
            sb.AppendLine($"  - {Yaml.Quote(san)}");
        }

        if (input.ExternalEtcdEndpoints.Count > 0)
        {
            sb.AppendLine("etcd:");
            sb.AppendLine("  external:");
            sb.AppendLine("    endpoints:");
            foreach (var endpoint in input.ExternalEtcdEndpoints)
            {
                sb.AppendLine($"    - {Yaml.Quote(endpoint)}");
            }

            sb.AppendLine($"    caFile: {Yaml.Quote(EtcdCaFile)}");
            sb.AppendLine($"    certFile: {Yaml.Quote(EtcdClientCertFile)}");
            sb.AppendLine($"    keyFile: {Yaml.Quote(EtcdClientKeyFile)}");
        }
    }

    /// <summary>The endpoint host, 127.0.0.1 in node-local mode, the VIP, every control plane, and the operator's extras.</summary>
    public static IReadOnlyList<string> CertSans(KubeadmInitInput input)
    {
        var sans = new List<string> { input.Endpoint.Host };
        if (input.Spec.VirtualIp is { } vip && input.Spec.LoadBalancerMode == LoadBalancerMode.KeepalivedVip)
        {
            sans.Add(vip);
        }

        sans.AddRange(input.ControlPlaneAddresses);
        sans.AddRange(input.Spec.ApiServerCertSans);
        return sans.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static void AppendLocalEndpoint(StringBuilder sb, string indent, string address, int port)
    {
        sb.AppendLine($"{indent}localAPIEndpoint:");
        if (IPAddress.TryParse(address, out _))
        {
            sb.AppendLine($"{indent}  advertiseAddress: {Yaml.Quote(address)}");
        }

        sb.AppendLine($"{indent}  bindPort: {port.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void AppendNodeRegistration(StringBuilder sb, ClusterSpec spec, KubeadmNode node)
    {
        sb.AppendLine("nodeRegistration:");
        sb.AppendLine($"  name: {Yaml.Quote(node.Name)}");
        sb.AppendLine($"  criSocket: {Yaml.Quote(ContainerRuntimes.CriSocket(spec.ContainerRuntime))}");
    }
}
