using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// The CNI manifests KubeHa applies after <c>kubeadm init</c>: the upstream manifests, vendored and pinned
/// (Provisioning/Rendering/Cni/*.yaml, each with a header naming its source, tag, commit and SHA-256), with the cluster's
/// pod subnet put where upstream expects it. Nothing else is changed; hosts need no internet to get the manifest (the
/// images are pre-pulled or pulled by the runtime, see <see cref="ClusterImages"/>).
/// </summary>
public static class CniManifests
{
    private const string Prefix = "KubeHa.Core.Provisioning.Rendering.Cni.";

    /// <summary>The vendored manifest KubeHa applies for <paramref name="cni"/> on Kubernetes <paramref name="version"/>.</summary>
    public static VendoredManifest Vendored(CniPlugin cni, KubernetesVersion version) => cni switch
    {
        CniPlugin.Flannel => Cached.Flannel,
        CniPlugin.Calico => Cached.Calico,
        // Cilium's chart renders AppArmor as pod annotations below Kubernetes 1.30 and as the appArmorProfile field
        // from 1.30 on; a 1.28/1.29 API server rejects the field, so each gets the render helm would give it.
        CniPlugin.Cilium => version.Major == 1 && version.Minor < 30 ? Cached.CiliumPre130 : Cached.Cilium,
        CniPlugin.Weave => Cached.Weave,
        _ => throw new ArgumentOutOfRangeException(nameof(cni), cni, "Unknown CNI plugin."),
    };

    /// <summary>Name, version and maintenance status of the release KubeHa installs (shown in the wizard).</summary>
    public static VendoredManifest Release(CniPlugin cni) => Vendored(cni, KubernetesVersion.Parse("1.30.0"));

    /// <summary>The manifest for the cluster: its CNI, its Kubernetes version, its pod subnet.</summary>
    public static string Render(ClusterSpec spec) => Render(spec.Cni, spec.PodSubnet, KubernetesVersion.Parse(spec.KubernetesVersion));

    /// <summary>The vendored manifest with <paramref name="podSubnet"/> (an IPv4 CIDR) where upstream expects the pod network.</summary>
    public static string Render(CniPlugin cni, string podSubnet, KubernetesVersion version)
    {
        var cidr = CanonicalIpv4Cidr(podSubnet);
        var m = Vendored(cni, version);
        var body = cni switch
        {
            CniPlugin.Flannel => m.ReplaceOnce(m.Body,
                "      \"Network\": \"10.244.0.0/16\",\n",
                $"      \"Network\": \"{cidr}\",\n",
                "net-conf.json \"Network\" line"),
            CniPlugin.Calico => m.ReplaceOnce(m.Body,
                "            # - name: CALICO_IPV4POOL_CIDR\n            #   value: \"192.168.0.0/16\"\n",
                $"            - name: CALICO_IPV4POOL_CIDR\n              value: \"{cidr}\"\n",
                "commented-out CALICO_IPV4POOL_CIDR env"),
            CniPlugin.Cilium => m.ReplaceOnce(m.Body,
                "  cluster-pool-ipv4-cidr: \"10.0.0.0/8\"\n",
                $"  cluster-pool-ipv4-cidr: \"{cidr}\"\n",
                "cilium-config cluster-pool-ipv4-cidr line"),
            CniPlugin.Weave => m.ReplaceOnce(m.Body,
                "                - name: INIT_CONTAINER\n                  value: \"true\"\n",
                $"                - name: INIT_CONTAINER\n                  value: \"true\"\n                - name: IPALLOC_RANGE\n                  value: \"{cidr}\"\n",
                "weave container's INIT_CONTAINER env"),
            _ => throw new ArgumentOutOfRangeException(nameof(cni), cni, "Unknown CNI plugin."),
        };
        return m.Header + body;
    }

    /// <summary>
    /// The subnet, which must be an IPv4 CIDR in canonical form ("10.244.0.0/16": host bits zero, no spaces); anything
    /// else is refused (IPNetwork.TryParse alone would silently turn 10.244.0.1/16 into 10.244.0.0/16).
    /// </summary>
    internal static string CanonicalIpv4Cidr(string podSubnet)
    {
        if (!IPNetwork.TryParse(podSubnet, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || network.ToString() != podSubnet)
        {
            throw new ArgumentException($"{HostInputRules.Quoted(podSubnet)} is not an IPv4 CIDR like 10.244.0.0/16 (with the host bits zero).", nameof(podSubnet));
        }

        return network.ToString();
    }

    /// <summary>Parsed once: the manifests are constant and Calico's is 350 kB.</summary>
    private static class Cached
    {
        public static readonly VendoredManifest Flannel = VendoredManifest.Load(Prefix + "flannel.yaml");
        public static readonly VendoredManifest Calico = VendoredManifest.Load(Prefix + "calico.yaml");
        public static readonly VendoredManifest Cilium = VendoredManifest.Load(Prefix + "cilium.yaml");
        public static readonly VendoredManifest CiliumPre130 = VendoredManifest.Load(Prefix + "cilium-k8s-pre-1.30.yaml");
        public static readonly VendoredManifest Weave = VendoredManifest.Load(Prefix + "weave.yaml");
    }
}
