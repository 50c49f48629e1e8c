namespace KubeHa.Core.LoadBalancing;

/// <summary>One load-balancer host's VRRP instance.</summary>
/// <param name="Interface">NIC carrying the load balancers' subnet (found from the host's addresses).</param>
/// <param name="SelfAddress">This host's address, the unicast source.</param>
/// <param name="Peers">The other load balancers' addresses.</param>
/// <param name="VirtualIp">The VIP.</param>
/// <param name="PrefixLength">The VIP's prefix length.</param>
/// <param name="RouterId">virtual_router_id.</param>
/// <param name="Priority">Higher wins; the first load balancer starts as MASTER.</param>
public sealed record KeepalivedInstance(string Interface, string SelfAddress, IReadOnlyList<string> Peers, string VirtualIp, int PrefixLength, int RouterId, int Priority);
