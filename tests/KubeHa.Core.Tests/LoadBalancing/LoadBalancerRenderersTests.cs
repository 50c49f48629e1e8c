using KubeHa.Core.Clusters;
using KubeHa.Core.LoadBalancing;

namespace KubeHa.Core.Tests.LoadBalancing;

public sealed class LoadBalancerRenderersTests
{
    internal static HaproxyConfig Seed000Haproxy() => new(
        "192.168.56.15:8443",
        [new("k8s-cplane01", "192.168.56.20", 6443), new("k8s-cplane02", "192.168.56.21", 6443), new("k8s-cplane03", "192.168.56.22", 6443)],
        null,
        []);

    internal static HaproxyConfig Seed004Haproxy() => new(
        "*:6443",
        [new("k8s-master1", "10.2.47.80", 6443), new("k8s-master2", "10.2.47.81", 6443), new("k8s-master3", "10.2.47.82", 6443)],
        new IngressForwarding(32059, 32423),
        [new("k8s-worker1", "10.2.47.90", 0), new("k8s-worker2", "10.2.47.91", 0)]);

    [Fact]
    public void Render_KeepalivedMode_Seed000Shape()
    {
        var cfg = HaproxyConfigRenderer.Render(Seed000Haproxy());
        Assert.Contains("    bind 192.168.56.15:8443\n    mode tcp", cfg, StringComparison.Ordinal);
        Assert.Contains("    option httpchk GET /healthz\n    http-check expect status 200\n    balance roundrobin", cfg, StringComparison.Ordinal);
        Assert.Contains("    server k8s-cplane02 192.168.56.21:6443 check check-ssl verify none", cfg, StringComparison.Ordinal);
        Assert.Contains("stats socket /run/haproxy/admin.sock mode 660 level admin", cfg, StringComparison.Ordinal);
        Assert.DoesNotContain("ingress", cfg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.168.56.15:0")]
    [InlineData("192.168.56.15:8443x")]
    [InlineData("192.168.56.15")]
    [InlineData("192.168.56.15:8443\n    bind *:22")]
    [InlineData("010.0.0.1:6443")]
    public void Render_InvalidBind_RefusedBeforeAnyLineIsWritten(string bind)
    {
        var error = Assert.Throws<ArgumentException>(() => HaproxyConfigRenderer.Render(Seed000Haproxy() with { Bind = bind }));

        Assert.Contains("is not a bind address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*:6443")]
    [InlineData("[2001:db8::10]:6443")]
    [InlineData("127.0.0.1:8443")]
    public void Render_ValidBind_Written(string bind)
    {
        var cfg = HaproxyConfigRenderer.Render(Seed000Haproxy() with { Bind = bind });

        Assert.Contains($"    bind {bind}\n", cfg, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DedicatedWithIngress_ForwardsToWorkerNodePorts()
    {
        var cfg = HaproxyConfigRenderer.Render(Seed004Haproxy());
        Assert.Contains("frontend ingress-http\n    bind *:80", cfg, StringComparison.Ordinal);
        Assert.Contains("frontend ingress-https\n    bind *:443", cfg, StringComparison.Ordinal);
        Assert.Contains("    server k8s-worker2 10.2.47.91:32059 check", cfg, StringComparison.Ordinal);
        Assert.Contains("    server k8s-worker1 10.2.47.90:32423 check", cfg, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerName_UnsafeCharacters_Replaced() =>
        Assert.Equal("my-host-1", HaproxyConfigRenderer.ServerName("my host/1"));

    [Fact]
    public void RenderKeepalived_FirstBalancer_MasterWithUnicastPeersAndTrackScript()
    {
        var cfg = KeepalivedConfigRenderer.Render(new KeepalivedInstance("eth1", "192.168.56.11", ["192.168.56.12"], "192.168.56.15", 24, 51, KeepalivedConfigRenderer.PriorityFor(0)));
        Assert.Contains("    state MASTER\n    interface eth1\n    virtual_router_id 51\n    priority 150", cfg, StringComparison.Ordinal);
        Assert.Contains("    unicast_src_ip 192.168.56.11\n    unicast_peer {\n        192.168.56.12\n    }", cfg, StringComparison.Ordinal);
        Assert.Contains("        192.168.56.15/24 dev eth1", cfg, StringComparison.Ordinal);
        Assert.Contains("    track_script {\n        chk_haproxy\n    }", cfg, StringComparison.Ordinal);

        var backup = KeepalivedConfigRenderer.Render(new KeepalivedInstance("eth1", "192.168.56.12", ["192.168.56.11"], "192.168.56.15", 24, 51, KeepalivedConfigRenderer.PriorityFor(1)));
        Assert.Contains("    state BACKUP", backup, StringComparison.Ordinal);
        Assert.Contains("    priority 140", backup, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderKeepalived_SingleBalancer_NoUnicastKeywordsKeepalivedWouldRefuse()
    {
        var cfg = KeepalivedConfigRenderer.Render(new KeepalivedInstance("eth1", "192.168.56.11", [], "192.168.56.15", 24, 51, KeepalivedConfigRenderer.PriorityFor(0)));
        Assert.DoesNotContain("unicast", cfg, StringComparison.Ordinal);
        Assert.Contains("    advert_int 1\n    virtual_ipaddress {\n        192.168.56.15/24 dev eth1\n    }", cfg, StringComparison.Ordinal);
    }
}
