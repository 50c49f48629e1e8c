using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Tests.Provisioning;

/// <summary>
/// The vendored upstream manifests are what their headers say (SHA-256 of the body), and rendering changes exactly the
/// lines the header names: the pod subnet where upstream expects it, nothing else (diff-checked line by line).
/// </summary>
public sealed class CniManifestsTests
{
    private const string PodSubnet = "172.20.0.0/16";
    private static readonly KubernetesVersion V131 = KubernetesVersion.Parse("1.31.2");

    private static readonly string[] Resources =
    [
        "KubeHa.Core.Provisioning.Rendering.Cni.flannel.yaml",
        "KubeHa.Core.Provisioning.Rendering.Cni.calico.yaml",
        "KubeHa.Core.Provisioning.Rendering.Cni.cilium.yaml",
        "KubeHa.Core.Provisioning.Rendering.Cni.cilium-k8s-pre-1.30.yaml",
        "KubeHa.Core.Provisioning.Rendering.Cni.weave.yaml",
        "KubeHa.Core.Provisioning.Rendering.Ingress.haproxy-kubernetes-ingress.yaml",
    ];

    public static TheoryData<string> AllVendored() => new(Resources);

    [Theory]
    [MemberData(nameof(AllVendored))]
    public void Vendored_Body_MatchesTheSha256InItsHeader(string resource)
    {
        var manifest = VendoredManifest.Load(resource);

        Assert.Equal(manifest.DeclaredBodySha256, manifest.BodySha256);
        Assert.StartsWith("https://github.com/", manifest.Fields["source"].Split(", ")[0].Replace("Helm chart cilium 1.19.6 (", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches(@"commit [0-9a-f]{40}", manifest.Fields["source"]);
    }

    [Fact]
    public void Vendored_AllEmbeddedManifests_AreCoveredByTheShaTest()
    {
        var embedded = typeof(VendoredManifest).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("KubeHa.Core.Provisioning.Rendering.", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal));

        Assert.Equal(Resources.Order(), embedded.Order());
    }

    [Fact]
    public void Render_Flannel_ChangesOnlyNetConfNetwork()
    {
        var hunk = Assert.Single(Diff(CniPlugin.Flannel, V131));

        Assert.Equal(["      \"Network\": \"10.244.0.0/16\","], hunk.Removed);
        Assert.Equal([$"      \"Network\": \"{PodSubnet}\","], hunk.Added);
    }

    [Fact]
    public void Render_Calico_EnablesCalicoIpv4PoolCidrOnly()
    {
        var hunk = Assert.Single(Diff(CniPlugin.Calico, V131));

        Assert.Equal(["            # - name: CALICO_IPV4POOL_CIDR", "            #   value: \"192.168.0.0/16\""], hunk.Removed);
        Assert.Equal(["            - name: CALICO_IPV4POOL_CIDR", $"              value: \"{PodSubnet}\""], hunk.Added);
    }

    [Theory]
    [InlineData("1.31.2")]
    [InlineData("1.29.3")]
    public void Render_Cilium_ChangesOnlyClusterPoolCidr(string version)
    {
        var hunk = Assert.Single(Diff(CniPlugin.Cilium, KubernetesVersion.Parse(version)));

        Assert.Equal(["  cluster-pool-ipv4-cidr: \"10.0.0.0/8\""], hunk.Removed);
        Assert.Equal([$"  cluster-pool-ipv4-cidr: \"{PodSubnet}\""], hunk.Added);
    }

    [Fact]
    public void Render_Weave_AddsIpallocRangeOnly()
    {
        var hunk = Assert.Single(Diff(CniPlugin.Weave, V131));

        Assert.Empty(hunk.Removed);
        Assert.Equal(["                - name: IPALLOC_RANGE", $"                  value: \"{PodSubnet}\""], hunk.Added);
    }

    [Theory]
    [InlineData("1.28.15", "cilium-k8s-pre-1.30.yaml", "container.apparmor.security.beta.kubernetes.io/cilium-agent")]
    [InlineData("1.29.3", "cilium-k8s-pre-1.30.yaml", "container.apparmor.security.beta.kubernetes.io/cilium-agent")]
    [InlineData("1.30.0", "cilium.yaml", "appArmorProfile:")]
    [InlineData("1.33.1", "cilium.yaml", "appArmorProfile:")]
    public void Vendored_Cilium_IsTheRenderForTheClusterVersion(string version, string file, string marker)
    {
        var manifest = CniManifests.Vendored(CniPlugin.Cilium, KubernetesVersion.Parse(version));

        Assert.EndsWith(file, manifest.ResourceName, StringComparison.Ordinal);
        Assert.Contains(marker, CniManifests.Render(CniPlugin.Cilium, PodSubnet, KubernetesVersion.Parse(version)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CniPlugin.Flannel, "ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3", "ghcr.io/flannel-io/flannel:v0.28.9")]
    [InlineData(CniPlugin.Calico, "quay.io/calico/cni:v3.32.1", "quay.io/calico/node:v3.32.1", "quay.io/calico/kube-controllers:v3.32.1")]
    [InlineData(CniPlugin.Cilium,
        "quay.io/cilium/cilium:v1.19.6@sha256:0df5b2750b64c49843aba1d649e9eaf61467cb0645ad3171db6f6962c095ac92",
        "quay.io/cilium/cilium-envoy:v1.36.9-1782267392-edeb3f2af56c37c407efa1f63f0b32f595399bbc@sha256:767101fb8a5e38f055778cb43b7aa8eed80450b37f8121effac3d9de9e06dc99",
        "quay.io/cilium/operator-generic:v1.19.6@sha256:0db4ca4e06969d8904ee036617795d0e9c3228cf7b8d902ba74fc2bb98d2d665")]
    [InlineData(CniPlugin.Weave, "weaveworks/weave-kube:2.8.1", "weaveworks/weave-npc:2.8.1")]
    public void Images_RenderedManifest_ListsEveryContainerAndInitContainerImage(CniPlugin cni, params string[] expected)
    {
        Assert.Equal(expected, ManifestInventory.Images(CniManifests.Render(cni, PodSubnet, V131)));
    }

    [Theory]
    [InlineData(CniPlugin.Flannel, "DaemonSet kube-flannel/kube-flannel-ds")]
    [InlineData(CniPlugin.Calico, "DaemonSet kube-system/calico-node")]
    [InlineData(CniPlugin.Cilium, "DaemonSet kube-system/cilium", "DaemonSet kube-system/cilium-envoy")]
    [InlineData(CniPlugin.Weave, "DaemonSet kube-system/weave-net")]
    public void Workloads_RenderedManifest_NamesTheCniDaemonSets(CniPlugin cni, params string[] expected)
    {
        var daemonSets = ManifestInventory.Workloads(CniManifests.Render(cni, PodSubnet, V131)).Where(w => w.IsDaemonSet);

        Assert.Equal(expected, daemonSets.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("10.244.0.0/33")]
    [InlineData("10.244.0.1/16")]
    [InlineData("fd00::/64")]
    [InlineData("10.244.0.0/16\"\n  evil: true")]
    public void Render_NotACanonicalIpv4Cidr_IsRefused(string subnet)
    {
        var ex = Assert.Throws<ArgumentException>(() => CniManifests.Render(CniPlugin.Calico, subnet, V131));
        Assert.Contains("is not an IPv4 CIDR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_Weave_IsMarkedUnmaintained_OthersAreNot()
    {
        Assert.NotNull(CniManifests.Release(CniPlugin.Weave).Unmaintained);
        Assert.Equal("2.8.1", CniManifests.Release(CniPlugin.Weave).Version);
        Assert.All(new[] { CniPlugin.Flannel, CniPlugin.Calico, CniPlugin.Cilium }, c => Assert.Null(CniManifests.Release(c).Unmaintained));
        Assert.Equal(("Calico", "v3.32.1"), (CniManifests.Release(CniPlugin.Calico).Name, CniManifests.Release(CniPlugin.Calico).Version));
    }

    [Fact]
    public void IngressController_Render_PinsTheImageAndSetsTheForwardedNodePorts()
    {
        var vendored = IngressControllerManifest.Vendored;
        var rendered = IngressControllerManifest.Render(new IngressForwarding(30080, 30443));

        var hunks = LineDiff.Compare(vendored.Body, rendered[vendored.Header.Length..]);

        Assert.Equal(3, hunks.Count);
        Assert.Equal(["        image: haproxytech/kubernetes-ingress"], hunks[0].Removed);
        Assert.Equal(["        image: haproxytech/kubernetes-ingress:3.2.11"], hunks[0].Added);
        Assert.Equal(["    nodePort: 30080"], hunks[1].Added);
        Assert.Equal(["    nodePort: 30443"], hunks[2].Added);
        Assert.Empty(hunks[1].Removed.Concat(hunks[2].Removed));
        Assert.Equal(["haproxytech/kubernetes-ingress:3.2.11"], ManifestInventory.Images(rendered));
        Assert.Equal("haproxytech/kubernetes-ingress:3.2.11", IngressControllerManifest.Image);
    }

    [Fact]
    public void IngressController_RenderWithoutForwarding_OnlyPinsTheImage()
    {
        var vendored = IngressControllerManifest.Vendored;
        var rendered = IngressControllerManifest.Render(null);

        var hunk = Assert.Single(LineDiff.Compare(vendored.Body, rendered[vendored.Header.Length..]));
        Assert.Equal(["        image: haproxytech/kubernetes-ingress:3.2.11"], hunk.Added);
    }

    [Fact]
    public void ReplaceOnce_TextMissingOrRepeated_FailsNamingTheManifest()
    {
        var manifest = VendoredManifest.Load("KubeHa.Core.Provisioning.Rendering.Cni.flannel.yaml");

        var missing = Assert.Throws<InvalidOperationException>(() => manifest.ReplaceOnce(manifest.Body, "no such text", "x", "marker"));
        var repeated = Assert.Throws<InvalidOperationException>(() => manifest.ReplaceOnce(manifest.Body, "kind:", "x", "kind line"));

        Assert.Contains("flannel.yaml (Flannel v0.28.9) has no marker", missing.Message, StringComparison.Ordinal);
        Assert.Contains("has more than one kind line", repeated.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<LineDiff.Hunk> Diff(CniPlugin cni, KubernetesVersion version)
    {
        var vendored = CniManifests.Vendored(cni, version);
        var rendered = CniManifests.Render(cni, PodSubnet, version);

        Assert.StartsWith(vendored.Header, rendered, StringComparison.Ordinal);
        return LineDiff.Compare(vendored.Body, rendered[vendored.Header.Length..]);
    }
}
