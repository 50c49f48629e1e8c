using KubeHa.Core.Clusters.Health;
using KubeHa.Core.LoadBalancing;

namespace KubeHa.Core.Tests.Clusters;

/// <summary>The dashboard's parsers on the edge cases operators meet: transitional HAProxy states, unhealthy etcd, the VIP.</summary>
public sealed class HealthParsersTests
{
    private const string Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr";

    private static string Row(string server, string status, string check, string lastChk, int lastchg) =>
        $"kube-apiserver,{server},0,0,2,5,,17,0,0,,0,,0,0,0,0,{status},1,1,0,1,1,{lastchg},3,,1,3,1,,17,,2,0,,2,{check},200,3,,,,,,,0,,,,0,0,,,,,-1,{lastChk},,0,0,0,0,,,,Layer7 check passed,,2,3,4,,,,10.0.0.{server[^1]}:6443";

    [Fact]
    public void Parse_TransitionalStates_MapToUpDownMaint()
    {
        var csv = string.Join('\n', Header,
            "kube-apiserver,FRONTEND,,,0,0,2000,0,0,0,0,0,0,,,,,OPEN,",
            Row("node1", "UP 1/3", "* L7STS", "HTTP status 500", 4),
            Row("node2", "DOWN 1/2", "L7OK", "HTTP status 200", 9),
            Row("node3", "MAINT (via kube-apiserver/node1)", "L4CON", "Connection refused", 60),
            "kube-apiserver,BACKEND,0,0,0,0,200,0,0,0,0,,0,0,0,0,0,UP,");

        var servers = HaproxyStatCsv.Parse(csv);

        Assert.Equal([HaproxyServerState.Up, HaproxyServerState.Down, HaproxyServerState.Maintenance], servers.Select(s => s.State));
        Assert.Equal("L7STS", servers[0].CheckStatus);
        Assert.Equal("HTTP status 500", servers[0].LastCheck);
        Assert.Equal(4, servers[0].SecondsSinceChange);
        Assert.Equal(2, servers[0].CurrentSessions);
        Assert.Equal(17, servers[0].TotalSessions);
        Assert.Equal("10.0.0.1:6443", servers[0].Address);
    }

    [Fact]
    public void ParseMembers_UnhealthyAndUnstartedMembers_Reported()
    {
        const string list = """
            8e9e05c52164694d, started, node1, https://10.0.0.1:2380, https://10.0.0.1:2379, false
            91bc3c398fb3c146, started, node2, https://10.0.0.2:2380, https://10.0.0.2:2379, false
            fd422379fda50e48, unstarted, , https://10.0.0.3:2380, , true
            """;
        const string health = """
            https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 2.1ms
            {"level":"warn","ts":"2026-11-26T08:00:00Z","msg":"retrying of unary invoker failed"}
            https://10.0.0.2:2379 is unhealthy: failed to commit proposal: context deadline exceeded
            Error: unhealthy cluster
            """;

        var members = EtcdctlOutput.ParseMembers(list, health);

        Assert.Equal([true, false, null], members.Select(m => m.Healthy));
        Assert.Equal("failed to commit proposal: context deadline exceeded", members[1].HealthDetail);
        Assert.False(members[2].Started);
        Assert.True(members[2].IsLearner);
    }

    [Theory]
    [InlineData("2: eth0    inet 10.77.0.14/16 brd 10.77.255.255 scope global eth0\\       valid_lft forever preferred_lft forever\n2: eth0    inet 10.77.1.10/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever", true)]
    [InlineData("2: eth0    inet 10.77.0.14/16 brd 10.77.255.255 scope global eth0\\       valid_lft forever preferred_lft forever\n2: eth0    inet 10.77.1.100/24 scope global secondary eth0", false)]
    public void Holds_IpAddrOutput_FindsTheVipExactly(string output, bool expected) =>
        Assert.Equal(expected, VipHolder.Holds(output, "10.77.1.10"));
}
