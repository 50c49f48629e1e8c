using KubeHa.Core.Hosts;

namespace KubeHa.Core.Tests.Hosts;

public sealed class HostInputRulesTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.122.255")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("[2001:db8::10]")]
    [InlineData("cp-1")]
    [InlineData("cp-1.lab.example.com")]
    [InlineData("localhost")]
    public void CheckAddress_ValidIpOrDnsName_ReturnsNull(string address) => Assert.Null(HostInputRules.CheckAddress(address));

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("1")]
    [InlineData("-bad.example.com")]
    [InlineData("under_score.example.com")]
    [InlineData("has space")]
    [InlineData("a..b")]
    [InlineData("2001:db8::zz")]
    public void CheckAddress_Invalid_ReturnsMessage(string address) => Assert.NotNull(HostInputRules.CheckAddress(address));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(22, true)]
    [InlineData(65535, true)]
    [InlineData(65536, false)]
    public void CheckPort_Range_AcceptsOneTo65535(int port, bool valid) => Assert.Equal(valid, HostInputRules.CheckPort(port) is null);

    [Theory]
    [InlineData("root", true)]
    [InlineData("kube_ops", true)]
    [InlineData("ci-runner.1", true)]
    [InlineData("_svc", true)]
    [InlineData("machine$", true)]
    [InlineData("1user", false)]
    [InlineData("-user", false)]
    [InlineData("us er", false)]
    [InlineData("user:x", false)]
    [InlineData("", false)]
    [InlineData("a23456789012345678901234567890123", false)]
    public void CheckUsername_LinuxRules(string username, bool valid) => Assert.Equal(valid, HostInputRules.CheckUsername(username) is null);
}
