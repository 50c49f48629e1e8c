using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.LoadBalancing;
using KubeHa.Testing.LoadBalancing;
using KubeHa.Testing.Ssh;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>
/// The dashboard's load-balancer reading end to end: a real HAProxy on loopback with real backends (a listening socket
/// is UP, a closed port DOWN, a disabled server MAINT), read over a real SSH connection from its admin stats socket.
/// </summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterHostProbeHaproxyTests(SshdFixture fixture)
{
    private static readonly ClusterMember Balancer = new(7, "lb1", "127.0.0.1", new HashSet<NodeRole> { NodeRole.LoadBalancer });

    [Fact]
    public async Task ReadLoadBalancerAsync_RealHaproxy_ReportsUpDownMaintAndFollowsABackendGoingDown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var live = new TcpListener(IPAddress.Loopback, 0);
        live.Start();
        var livePort = ((IPEndPoint)live.LocalEndpoint).Port;
        await using var haproxy = await HaproxyProcess.StartAsync(
            [("node1", livePort), ("node2", HaproxyProcess.FreePort()), ("node3", HaproxyProcess.FreePort())], maintLast: true, cts.Token);
        var shells = new SshdShellFactory(fixture);
        await using var probe = new ClusterHostProbe(shells, TimeProvider.System, haproxy.StatsSocket);

        var health = await UntilAsync(probe, "127.0.0.1", h => State(h, "node1") == HaproxyServerState.Up && State(h, "node2") == HaproxyServerState.Down, cts.Token);

        Assert.Null(health.Error);
        Assert.All(health.Servers, s => Assert.Equal(HaproxyConfigRenderer.ApiBackend, s.Backend));
        var node1 = health.Servers.Single(s => s.Server == "node1");
        Assert.Equal("L4OK", node1.CheckStatus);
        Assert.Equal($"127.0.0.1:{livePort}", node1.Address);
        Assert.NotNull(node1.SecondsSinceChange);
        Assert.NotNull(health.LastChangeOf(node1));
        Assert.Equal("L4CON", health.Servers.Single(s => s.Server == "node2").CheckStatus);
        Assert.Equal(HaproxyServerState.Maintenance, State(health, "node3"));
        Assert.Equal(1, health.Up);
        Assert.True(health.HoldsVip); // 127.0.0.1 is on lo

        live.Stop(); // the "apiserver" behind node1 dies
        var after = await UntilAsync(probe, "10.255.255.254", h => State(h, "node1") == HaproxyServerState.Down, cts.Token);

        Assert.Equal("L4CON", after.Servers.Single(s => s.Server == "node1").CheckStatus);
        Assert.Equal(0, after.Up);
        Assert.False(after.HoldsVip);
        Assert.Equal(1, shells.Opened); // every read went over the one kept connection
    }

    [Fact]
    public async Task ReadLoadBalancerAsync_NoStatsSocket_ReportsTheErrorWithoutServers()
    {
        var shells = new SshdShellFactory(fixture);
        await using var probe = new ClusterHostProbe(shells, TimeProvider.System, "/run/kubeha-test-none/admin.sock");

        var health = await probe.ReadLoadBalancerAsync(Balancer, null, CancellationToken.None);

        Assert.Empty(health.Servers);
        Assert.Contains("did not answer", health.Error, StringComparison.Ordinal);
        Assert.Null(health.HoldsVip);
    }

    private static HaproxyServerState? State(LoadBalancerHealth health, string server) =>
        health.Servers.FirstOrDefault(s => s.Server == server)?.State;

    private static async Task<LoadBalancerHealth> UntilAsync(ClusterHostProbe probe, string vip, Func<LoadBalancerHealth, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var health = await probe.ReadLoadBalancerAsync(Balancer, vip, cancellationToken);
            if (condition(health))
            {
                return health;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
