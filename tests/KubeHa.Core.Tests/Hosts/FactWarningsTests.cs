using KubeHa.Core.Hosts;

namespace KubeHa.Core.Tests.Hosts;

public sealed class FactWarningsTests
{
    [Fact]
    public void Evaluate_HealthyDistinctHosts_ReturnsNoWarnings()
        => Assert.Empty(FactWarnings.Evaluate([new(1, "h1", Facts("a", "52:54:00:00:00:01", "uuid-a")), new(2, "h2", Facts("b", "52:54:00:00:00:02", "uuid-b"))]));

    [Fact]
    public void Evaluate_SwapOn_WarnsSwapEnabled()
        => Assert.Equal(["swap-enabled"], Codes(Facts("a") with { SwapOn = true }));

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void Evaluate_CpuCount_WarnsBelowTwo(int cpus, bool warned)
        => Assert.Equal(warned, Codes(Facts("a") with { CpuCount = cpus }).Contains("insufficient-cpu"));

    [Theory]
    [InlineData(1699, true)]
    [InlineData(1700, false)]
    public void Evaluate_Memory_WarnsBelow1700Mb(long mb, bool warned)
        => Assert.Equal(warned, Codes(Facts("a") with { MemoryMb = mb }).Contains("insufficient-memory"));

    [Fact]
    public void Evaluate_PortsInUse_WarnsNamingThePorts()
    {
        var warning = Assert.Single(FactWarnings.Evaluate([new(1, "h1", Facts("a") with { PortsInUse = [6443, 2379] })]));

        Assert.Equal("port-in-use", warning.Code);
        Assert.Contains("6443, 2379", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SameMacOnTwoHosts_WarnsBothButNotTheThird()
    {
        var warnings = FactWarnings.Evaluate(
        [
            new(1, "h1", Facts("a", "52:54:00:aa:bb:cc", "uuid-a")),
            new(2, "h2", Facts("b", "52:54:00:AA:BB:CC", "uuid-b")),
            new(3, "h3", Facts("c", "52:54:00:00:00:03", "uuid-c")),
        ]);

        Assert.Equal([1, 2], warnings.Where(w => w.Code == "duplicate-mac").Select(w => w.HostId).Order());
        Assert.DoesNotContain(warnings, w => w.HostId == 3);
        Assert.Contains("is also on h2:", warnings.Single(w => w.Code == "duplicate-mac" && w.HostId == 1).Message, StringComparison.Ordinal);
        Assert.Contains("is also on h1:", warnings.Single(w => w.Code == "duplicate-mac" && w.HostId == 2).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SameProductUuidOnThreeHosts_NamesTheOtherTwo()
    {
        var warnings = FactWarnings.Evaluate(
        [
            new(1, "node1", Facts("a", "52:54:00:00:00:01", "same")),
            new(2, "node2", Facts("b", "52:54:00:00:00:02", "same")),
            new(3, "node3", Facts("c", "52:54:00:00:00:03", "same")),
        ]);

        Assert.Contains("is also on node1, node3:", warnings.Single(w => w.Code == "duplicate-product-uuid" && w.HostId == 2).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PortsInUseOnAClusterMember_IsExpectedNotAWarning()
        => Assert.DoesNotContain(
            FactWarnings.Evaluate([new(1, "cp1", Facts("a") with { PortsInUse = [6443, 2379] }, InCluster: true)]),
            w => w.Code == "port-in-use");

    [Fact]
    public void Evaluate_SameProductUuidAndHostname_WarnsEach()
    {
        var warnings = FactWarnings.Evaluate([new(1, "h1", Facts("node", "52:54:00:00:00:01", "same")), new(2, "h2", Facts("node", "52:54:00:00:00:02", "same"))]);

        Assert.Equal(2, warnings.Count(w => w.Code == "duplicate-product-uuid"));
        Assert.Equal(2, warnings.Count(w => w.Code == "duplicate-hostname"));
    }

    [Fact]
    public void Evaluate_HostWithoutFacts_IsIgnored()
        => Assert.Empty(FactWarnings.Evaluate([new(1, "h1", null), new(2, "h2", Facts("a") with { })]));

    private static List<string> Codes(HostFacts facts) => FactWarnings.Evaluate([new(1, "h1", facts)]).Select(w => w.Code).ToList();

    private static HostFacts Facts(string hostname, string mac = "52:54:00:00:00:01", string uuid = "uuid") => new()
    {
        Hostname = hostname,
        OsName = "Ubuntu 24.04 LTS",
        OsId = "ubuntu",
        OsVersion = "24.04",
        Kernel = "6.8.0",
        Architecture = "x86_64",
        CpuCount = 2,
        MemoryMb = 2048,
        ProductUuid = uuid,
        CgroupVersion = 2,
        Interfaces = [new("eth0", mac)],
    };
}
