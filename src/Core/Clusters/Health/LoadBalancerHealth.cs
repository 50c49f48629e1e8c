using KubeHa.Core.LoadBalancing;

namespace KubeHa.Core.Clusters.Health;

/// <summary>One load-balancer host: its HAProxy servers from the stats socket and, in keepalived mode, whether it holds the VIP.</summary>
/// <param name="HostId">Inventory id.</param>
/// <param name="Host">Inventory name.</param>
/// <param name="Address">Where KubeHa reaches it.</param>
/// <param name="Servers">Server rows of every backend (the API backend first), empty when unreachable.</param>
/// <param name="HoldsVip">True/false in keepalived mode, null otherwise or when unknown.</param>
/// <param name="Error">Why the host or its stats socket could not be read.</param>
/// <param name="ReadAt">When the stats were read (a server last changed at ReadAt - SecondsSinceChange).</param>
public sealed record LoadBalancerHealth(int HostId, string Host, string Address, IReadOnlyList<HaproxyServerStatus> Servers, bool? HoldsVip, string? Error, DateTimeOffset? ReadAt = null)
{
    /// <summary>When <paramref name="server"/> last went UP or DOWN, if known.</summary>
    public DateTimeOffset? LastChangeOf(HaproxyServerStatus server) =>
        ReadAt is { } at && server.SecondsSinceChange is { } s ? at - TimeSpan.FromSeconds(s) : null;

    public int Up => Servers.Count(s => s.State == HaproxyServerState.Up);
}
