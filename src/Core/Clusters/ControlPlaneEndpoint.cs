using KubeHa.Core.Hosts;

namespace KubeHa.Core.Clusters;

/// <summary>The address every node and kubeadm use to reach the API servers, derived from the load-balancer mode.</summary>
/// <param name="Host">DNS name or IP written into controlPlaneEndpoint.</param>
/// <param name="Port">The load balancer's listening port.</param>
public sealed record ControlPlaneEndpoint(string Host, int Port)
{
    public const string Loopback = "127.0.0.1";

    /// <summary>"host:port" as kubeadm expects it (IPv6 in brackets).</summary>
    public override string ToString() => NetworkAddress.HostPort(Host, Port);

    /// <summary>
    /// Keepalived: the configured host (a DNS name resolving to the VIP) or the VIP. Node-local: 127.0.0.1, whatever was
    /// configured. Dedicated: the configured host or the HAProxy host's address.
    /// </summary>
    public static ControlPlaneEndpoint For(ClusterSpec spec, IEnumerable<ClusterMember> members)
    {
        var configured = string.IsNullOrWhiteSpace(spec.ControlPlaneEndpointHost) ? null : spec.ControlPlaneEndpointHost.Trim();
        var host = spec.LoadBalancerMode switch
        {
            LoadBalancerMode.NodeLocal => Loopback,
            LoadBalancerMode.KeepalivedVip => configured ?? spec.VirtualIp ?? string.Empty,
            _ => configured ?? members.FirstOrDefault(m => m.Is(NodeRole.LoadBalancer))?.Address ?? string.Empty,
        };
        return new ControlPlaneEndpoint(host, spec.ControlPlaneEndpointPort);
    }

    /// <summary>
    /// Where KubeHa itself (not on a node) reaches the API, in order of preference: the endpoint, except in node-local
    /// mode where 127.0.0.1 means nothing to KubeHa: then each control plane's own address, tried in turn.
    /// </summary>
    public static IReadOnlyList<Uri> ForKubeHa(ClusterSpec spec, IEnumerable<ClusterMember> members)
    {
        var list = members.ToList();
        var controlPlanes = list.Where(m => m.Is(NodeRole.ControlPlane))
            .Select(m => Https(m.Address, spec.ApiServerPort));
        if (spec.LoadBalancerMode == LoadBalancerMode.NodeLocal)
        {
            return controlPlanes.ToList();
        }

        var endpoint = For(spec, list);
        return [Https(endpoint.Host, endpoint.Port), .. controlPlanes];
    }

    private static Uri Https(string host, int port) => new(NetworkAddress.Url("https", host, port));
}
