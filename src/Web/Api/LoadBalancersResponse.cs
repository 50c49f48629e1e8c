using KubeHa.Core.Clusters.Health;

namespace KubeHa.Web.Api;

/// <summary>GET /api/v1/clusters/{id}/load-balancers: each HAProxy host's servers and, in keepalived mode, the VIP holder.</summary>
/// <param name="At">When the snapshot was assembled.</param>
/// <param name="VirtualIp">The VIP (keepalived mode), else null.</param>
/// <param name="VipHolder">The host holding it, if any.</param>
/// <param name="LoadBalancers">One entry per HAProxy host.</param>
public sealed record LoadBalancersResponse(DateTimeOffset At, string? VirtualIp, string? VipHolder, IReadOnlyList<LoadBalancerHealth> LoadBalancers);
