using System.Net;
using System.Security.Cryptography;

namespace KubeHa.Testing.Network;

/// <summary>
/// A private network namespace joined to this one by a veth pair, inside 10.78.0.0/24 (reserved for these tests;
/// 10.77.0.0/16 belongs to the lab hosts). Each instance takes a random /28 so parallel processes do not collide.
/// <see cref="SilentAddress"/> is on the link but answered by nobody, so connecting to it fails with "no route to
/// host" without any packet leaving the machine. Needs root and iproute2 (<c>ip</c>). Removed on dispose.
/// </summary>
public sealed class IsolatedNetwork : IAsyncDisposable
{
    private readonly string _ip;
    private readonly string _namespace;
    private readonly string _hostLink;

    private IsolatedNetwork(string ip, string ns, string hostLink, int block)
    {
        _ip = ip;
        _namespace = ns;
        _hostLink = hostLink;
        HostAddress = IPAddress.Parse($"10.78.0.{block + 1}");
        PeerAddress = IPAddress.Parse($"10.78.0.{block + 2}");
        SilentAddress = IPAddress.Parse($"10.78.0.{block + 9}");
    }

    /// <summary>This namespace's end of the link.</summary>
    public IPAddress HostAddress { get; }

    /// <summary>The private namespace's end of the link.</summary>
    public IPAddress PeerAddress { get; }

    /// <summary>On the link's subnet, owned by nobody: ARP goes unanswered and connects fail as unreachable.</summary>
    public IPAddress SilentAddress { get; }

    public static async Task<IsolatedNetwork> CreateAsync(CancellationToken cancellationToken = default)
    {
        var ip = ProcessRunner.Require("ip", "iproute2");
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var block = RandomNumberGenerator.GetInt32(0, 16) * 16;
        var network = new IsolatedNetwork(ip, $"khssh-{id}", $"khs{id}", block);
        var peerLink = $"khp{id}";
        try
        {
            await network.IpAsync(["netns", "add", network._namespace], cancellationToken);
            await network.IpAsync(["link", "add", network._hostLink, "type", "veth", "peer", "name", peerLink], cancellationToken);
            await network.IpAsync(["link", "set", peerLink, "netns", network._namespace], cancellationToken);
            await network.IpAsync(["addr", "add", $"{network.HostAddress}/28", "dev", network._hostLink], cancellationToken);
            await network.IpAsync(["link", "set", network._hostLink, "up"], cancellationToken);
            await network.IpAsync(["-n", network._namespace, "addr", "add", $"{network.PeerAddress}/28", "dev", peerLink], cancellationToken);
            await network.IpAsync(["-n", network._namespace, "link", "set", peerLink, "up"], cancellationToken);
            await network.IpAsync(["-n", network._namespace, "link", "set", "lo", "up"], cancellationToken);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }

        return network;
    }

    public async ValueTask DisposeAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        // Deleting one end of a veth pair deletes both; deleting the namespace removes what is left inside.
        await ProcessRunner.RunAsync(_ip, ["link", "del", _hostLink], check: false, cancellationToken: bounded.Token);
        await ProcessRunner.RunAsync(_ip, ["netns", "del", _namespace], check: false, cancellationToken: bounded.Token);
    }

    private Task IpAsync(string[] args, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(_ip, args, cancellationToken: cancellationToken);
}
