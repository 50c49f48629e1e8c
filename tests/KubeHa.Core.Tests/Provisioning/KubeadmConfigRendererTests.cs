using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Provisioning;

public sealed class KubeadmConfigRendererTests
{
    private const string Token = "abcdef.0123456789abcdef";
    private static readonly string Key = new('a', 64);

    private static KubeadmInitInput Input(ClusterSpec spec, List<ClusterMember> members, IReadOnlyList<string>? etcd = null) => new(
        spec,
        ControlPlaneEndpoint.For(spec, members),
        new KubeadmNode("host1", members.First(m => m.Is(NodeRole.ControlPlane)).Address),
        Token,
        Key,
        members.Where(m => m.Is(NodeRole.ControlPlane)).Select(m => m.Address).ToList(),
        etcd ?? []);

    [Fact]
    public void RenderInit_Seed000On129_V1beta3WithEndpointTokenKeyAndSans()
    {
        var (spec, members) = Seed000();
        var yaml = KubeadmConfigRenderer.RenderInit(Input(spec, members));

        Assert.Contains("apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration", yaml, StringComparison.Ordinal);
        Assert.Contains($"- token: \"{Token}\"", yaml, StringComparison.Ordinal);
        Assert.Contains("  ttl: \"24h0m0s\"", yaml, StringComparison.Ordinal);
        Assert.Contains($"certificateKey: \"{Key}\"", yaml, StringComparison.Ordinal);
        Assert.Contains("  advertiseAddress: \"192.168.56.20\"", yaml, StringComparison.Ordinal);
        Assert.Contains("  criSocket: \"unix:///var/run/containerd/containerd.sock\"", yaml, StringComparison.Ordinal);
        Assert.Contains("kubernetesVersion: \"v1.29.3\"", yaml, StringComparison.Ordinal);
        Assert.Contains("controlPlaneEndpoint: \"api.kube.diehard.net:8443\"", yaml, StringComparison.Ordinal);
        Assert.Contains("  podSubnet: \"10.244.0.0/16\"\n  serviceSubnet: \"10.96.0.0/12\"", yaml, StringComparison.Ordinal);
        Assert.Contains("  - \"api.kube.diehard.net\"\n  - \"192.168.56.15\"\n  - \"192.168.56.20\"", yaml, StringComparison.Ordinal);
        Assert.Contains("kind: KubeletConfiguration\ncgroupDriver: systemd", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("etcd:", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderInit_Seed002On131_V1beta4WithExternalEtcd()
    {
        var (spec, members) = Seed002();
        var yaml = KubeadmConfigRenderer.RenderInit(Input(spec, members, ["https://10.0.0.6:2379", "https://10.0.0.7:2379", "https://10.0.0.8:2379"]));

        Assert.Contains("apiVersion: kubeadm.k8s.io/v1beta4", yaml, StringComparison.Ordinal);
        Assert.Contains("etcd:\n  external:\n    endpoints:\n    - \"https://10.0.0.6:2379\"", yaml, StringComparison.Ordinal);
        Assert.Contains("    caFile: \"/etc/kubernetes/pki/etcd/ca.crt\"", yaml, StringComparison.Ordinal);
        Assert.Contains("    certFile: \"/etc/kubernetes/pki/apiserver-etcd-client.crt\"", yaml, StringComparison.Ordinal);
        Assert.Contains("    keyFile: \"/etc/kubernetes/pki/apiserver-etcd-client.key\"", yaml, StringComparison.Ordinal);
        Assert.Contains("controlPlaneEndpoint: \"10.0.0.200:6443\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderInit_NodeLocal_LoopbackEndpointAndSan()
    {
        var (spec, members) = Seed001();
        var yaml = KubeadmConfigRenderer.RenderInit(Input(spec, members));
        Assert.Contains("controlPlaneEndpoint: \"127.0.0.1:5443\"", yaml, StringComparison.Ordinal);
        Assert.Contains("  - \"127.0.0.1\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJoin_ControlPlaneWithCrio_CarriesKeyAndAdvertiseAddress()
    {
        var (spec, members) = Seed004();
        var endpoint = ControlPlaneEndpoint.For(spec, members);
        var yaml = KubeadmConfigRenderer.RenderJoin(spec, endpoint, new KubeadmNode("k8s-master2", "10.2.47.81"), Token, "sha256:00ff", Key);

        Assert.Contains("kind: JoinConfiguration", yaml, StringComparison.Ordinal);
        Assert.Contains("    apiServerEndpoint: \"10.2.47.84:6443\"\n    token: \"abcdef.0123456789abcdef\"\n    caCertHashes: [\"sha256:00ff\"]", yaml, StringComparison.Ordinal);
        Assert.Contains("  criSocket: \"unix:///var/run/crio/crio.sock\"", yaml, StringComparison.Ordinal);
        Assert.Contains($"controlPlane:\n  certificateKey: \"{Key}\"\n  localAPIEndpoint:\n    advertiseAddress: \"10.2.47.81\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJoin_Worker_HasNoControlPlaneSection()
    {
        var (spec, members) = Seed004();
        var yaml = KubeadmConfigRenderer.RenderJoin(spec, ControlPlaneEndpoint.For(spec, members), new KubeadmNode("w1", "10.2.47.90"), Token, "sha256:00", null);
        Assert.DoesNotContain("controlPlane:", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("certificateKey", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.30.1", "      initial-cluster: \"infra0=https://10.0.0.6:2380,infra1=https://10.0.0.7:2380,infra2=https://10.0.0.8:2380\"")]
    [InlineData("1.31.2", "    - name: \"initial-cluster\"\n      value: \"infra0=https://10.0.0.6:2380,infra1=https://10.0.0.7:2380,infra2=https://10.0.0.8:2380\"")]
    public void RenderEtcdMember_PerApiVersion_ExtraArgsShape(string version, string expected)
    {
        var (spec, _) = Seed002();
        KubeadmNode[] members = [new("infra0", "10.0.0.6"), new("infra1", "10.0.0.7"), new("infra2", "10.0.0.8")];
        var yaml = KubeadmConfigRenderer.RenderEtcdMember(spec with { KubernetesVersion = version }, members, 1);
        Assert.Contains(expected, yaml, StringComparison.Ordinal);
        Assert.Contains("    serverCertSANs: [\"10.0.0.7\"]", yaml, StringComparison.Ordinal);
        Assert.Contains("listen-client-urls", yaml, StringComparison.Ordinal);
        Assert.Contains("https://10.0.0.7:2379", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.30.14", "registry.k8s.io/pause:3.9", "kubeadm.k8s.io/v1beta3")]
    [InlineData("1.33.5", "registry.k8s.io/pause:3.10", "kubeadm.k8s.io/v1beta4")]
    [InlineData("1.34.13", "registry.k8s.io/pause:3.10.1", "kubeadm.k8s.io/v1beta4")]
    [InlineData("1.37.3", "registry.k8s.io/pause:3.10.1", "kubeadm.k8s.io/v1beta4")]
    public void NodeFiles_SandboxImageAndConfigApi_KubeadmsOfThatMinor(string version, string pause, string api)
    {
        var v = KubernetesVersion.Parse(version);

        Assert.Contains($"sandbox_image = \"{pause}\"", NodeFiles.Containerd(v), StringComparison.Ordinal);
        Assert.Contains($"pause_image = \"{pause}\"", NodeFiles.Crio(v), StringComparison.Ordinal);
        Assert.Equal(api, KubeadmConfigRenderer.ApiVersion(v));
    }

    [Fact]
    public void NodeFiles_Runtimes_UseSystemdCgroups()
    {
        var v131 = KubernetesVersion.Parse("1.31.2");
        Assert.Contains("SystemdCgroup = true", NodeFiles.Containerd(v131), StringComparison.Ordinal);
        Assert.Contains("sandbox_image = \"registry.k8s.io/pause:3.10\"", NodeFiles.Containerd(v131), StringComparison.Ordinal);
        Assert.Contains("cgroup_manager = \"systemd\"", NodeFiles.Crio(KubernetesVersion.Parse("1.29.3")), StringComparison.Ordinal);
        Assert.Contains("net.bridge.bridge-nf-call-iptables = 1", NodeFiles.Sysctl, StringComparison.Ordinal);
        Assert.Contains("net.ipv4.ip_forward = 1", NodeFiles.Sysctl, StringComparison.Ordinal);
        Assert.Contains("br_netfilter", NodeFiles.Modules, StringComparison.Ordinal);
    }
}
