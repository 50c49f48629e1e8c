using KubeHa.Core.Hosts;
using KubeHa.Core.Tests.Support;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Hosts;

public sealed class NodeNamesTests
{
    [Theory]
    [InlineData("node1", "node1")]
    [InlineData("Node1", "node1")]
    [InlineData("w-1.k8s.example.com", "w-1.k8s.example.com")]
    [InlineData(" node1\n", "node1")]
    [InlineData("1", "1")]
    public void TryFromHostname_Rfc1123_LowerCasedNodeName(string hostname, string expected)
    {
        Assert.True(NodeNames.TryFromHostname(hostname, out var name, out var error));
        Assert.Equal(expected, name);
        Assert.Null(error);
    }

    public static TheoryData<string> Invalid() =>
    [
        .. HostileValues.ShellMetacharacters.Where(v => v.Trim() != HostileValues.Marker),
        "-node1", "node1-", "node_1", "node1.", ".node1", "node..1", new string('a', 254), "nöde", "node 1",
    ];

    [Theory]
    [MemberData(nameof(Invalid))]
    public void TryFromHostname_NotANodeName_RefusedNamingTheValuePrintably(string hostname)
    {
        Assert.False(NodeNames.TryFromHostname(hostname, out var name, out var error));

        Assert.Null(name);
        Assert.Contains("RFC 1123", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain('\r', error);
    }

    [Fact]
    public void TryFor_NoFactsAndInvalidInventoryName_AsksForACheck()
    {
        Assert.False(NodeNames.TryFor(null, "Web server 1", out _, out var error));
        Assert.Contains("'Web server 1' has no facts from a host check", error, StringComparison.Ordinal);

        Assert.True(NodeNames.TryFor(Facts(1, hostname: "Node7"), "Web server 1", out var name, out _));
        Assert.Equal("node7", name);
    }
}
