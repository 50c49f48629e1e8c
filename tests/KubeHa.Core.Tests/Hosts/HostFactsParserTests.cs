using KubeHa.Core.Hosts;

namespace KubeHa.Core.Tests.Hosts;

public sealed class HostFactsParserTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static string Output(
        string swaps = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority",
        string cgroup = "cgroup2fs",
        string ports = "::kubeha::ss\nLISTEN 0      4096   0.0.0.0:10250 0.0.0.0:*\nLISTEN 0 128 [::]:6443 [::]:*\nLISTEN 0 128 127.0.0.1:22 0.0.0.0:*",
        string net = "eth0 52:54:00:AB:cd:01\nlo 00:00:00:00:00:00\nifb0 00:00:00:00:00:00\nens4 52:54:00:ab:cd:02",
        bool end = true) => $"""

        ::kubeha::os-release
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        ID=debian

        ::kubeha::kernel
        6.1.0-18-amd64

        ::kubeha::arch
        x86_64

        ::kubeha::nproc
        4

        ::kubeha::meminfo
        MemTotal:        8131528 kB

        ::kubeha::swaps
        {swaps}

        ::kubeha::net
        {net}

        ::kubeha::product-uuid
        4C4C4544-0042-3510-8052-B7C04F4E3332

        ::kubeha::hostname
        node-1

        ::kubeha::cgroup-fs
        {cgroup}

        {ports}
        {(end ? "\n::kubeha::end" : string.Empty)}
        """;

    [Fact]
    public void Parse_TypicalDebian_AllFacts()
    {
        var facts = HostFactsParser.Parse(Output(), passwordlessSudo: true, At);

        Assert.Equal("node-1", facts.Hostname);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", facts.OsName);
        Assert.Equal("debian", facts.OsId);
        Assert.Equal("12", facts.OsVersion);
        Assert.Equal("6.1.0-18-amd64", facts.Kernel);
        Assert.Equal("x86_64", facts.Architecture);
        Assert.Equal(4, facts.CpuCount);
        Assert.Equal(7940, facts.MemoryMb);
        Assert.False(facts.SwapOn);
        Assert.Equal([new NetworkInterfaceFact("eth0", "52:54:00:ab:cd:01"), new NetworkInterfaceFact("ens4", "52:54:00:ab:cd:02")], facts.Interfaces);
        Assert.Equal("4c4c4544-0042-3510-8052-b7c04f4e3332", facts.ProductUuid);
        Assert.Equal(2, facts.CgroupVersion);
        Assert.Equal([6443, 10250], facts.PortsInUse);
        Assert.True(facts.PasswordlessSudo);
        Assert.Equal(At, facts.GatheredAt);
    }

    [Fact]
    public void Parse_SwapEntryAfterHeader_SwapOn()
    {
        var facts = HostFactsParser.Parse(
            Output(swaps: "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swapfile                               file\t\t2097148\t\t0\t\t-2"),
            passwordlessSudo: false,
            At);

        Assert.True(facts.SwapOn);
        Assert.False(facts.PasswordlessSudo);
    }

    [Fact]
    public void Parse_NoSwapsFileAtAll_SwapOff()
    {
        Assert.False(HostFactsParser.Parse(Output(swaps: string.Empty), true, At).SwapOn);
    }

    [Theory]
    [InlineData("tmpfs", 1)]
    [InlineData("cgroup2fs", 2)]
    [InlineData("", 1)]
    public void Parse_CgroupFilesystem_Version(string fs, int expected)
    {
        Assert.Equal(expected, HostFactsParser.Parse(Output(cgroup: fs), true, At).CgroupVersion);
    }

    [Theory]
    [InlineData("LISTEN 0 4096 *:10259 *:*", 10259)]
    [InlineData("LISTEN 0 4096 [::ffff:127.0.0.1]:2379 [::]:*", 2379)]
    [InlineData("LISTEN 0 4096 127.0.0.1%lo:2380 0.0.0.0:*", 2380)]
    [InlineData("LISTEN 0 4096 10.0.0.5:10257 0.0.0.0:*", 10257)]
    [InlineData("0 4096 *:6443 *:*", 6443)]
    public void Parse_SsLineFormats_PortFound(string line, int port)
    {
        var facts = HostFactsParser.Parse(Output(ports: $"::kubeha::ss\nState Recv-Q Send-Q Local Address:Port Peer Address:Port\n{line}"), true, At);

        Assert.Equal([port], facts.PortsInUse);
    }

    [Fact]
    public void Parse_NoSsProcNetTcp_OnlyListeningCheckedPorts()
    {
        const string Proc = """
            ::kubeha::proc-net-tcp
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1663 1 0 100 0 0 10 0
               1: 0100007F:280A 0100007F:BFEE 01 00000000:00000000 03:000009C4 00000000     0        0 0 3 0
               2: 00000000:280A 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1A2B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0
               1: 00000000000000000000000000000000:094B 00000000000000000000000000000000:0000 06 00000000:00000000 00:00000000 00000000     0        0 2 1 0
            """;

        var facts = HostFactsParser.Parse(Output(ports: Proc), true, At);

        // 0x280A = 10250 listening; 0x1A2B = 6699 unchecked; 0x094B = 2379 but TIME_WAIT, not listening.
        Assert.Equal([10250], facts.PortsInUse);
    }

    [Fact]
    public void Parse_OnlyZeroAndLoopbackMacs_NoInterfaces()
    {
        Assert.Empty(HostFactsParser.Parse(Output(net: "lo 00:00:00:00:00:00\nwg0 \ntun0 00:00:00:00:00:00"), true, At).Interfaces);
    }

    [Fact]
    public void Parse_Truncated_Throws()
    {
        Assert.Throws<FormatException>(() => HostFactsParser.Parse(Output(end: false), true, At));
    }

    [Fact]
    public void Parse_MissingSections_DefaultsInsteadOfThrowing()
    {
        var facts = HostFactsParser.Parse("::kubeha::end\n", true, At);

        Assert.Equal(string.Empty, facts.Hostname);
        Assert.Equal("unknown", facts.OsName);
        Assert.Equal(0, facts.CpuCount);
        Assert.Equal(0, facts.MemoryMb);
        Assert.Empty(facts.PortsInUse);
    }

    [Fact]
    public void ParseOsRelease_QuotedAndCommentedValues()
    {
        var values = HostFactsParser.ParseOsRelease(["# comment", "NAME='Rocky Linux'", "ID=\"rocky\"", "VERSION_ID=9.3", "garbage"]);

        Assert.Equal("Rocky Linux", values["NAME"]);
        Assert.Equal("rocky", values["ID"]);
        Assert.Equal("9.3", values["VERSION_ID"]);
        Assert.Equal(3, values.Count);
    }
}
