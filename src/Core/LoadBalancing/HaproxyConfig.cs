using KubeHa.Core.Clusters;

namespace KubeHa.Core.LoadBalancing;

/// <summary>What one HAProxy instance serves.</summary>
/// <param name="Bind">Frontend bind: "192.168.56.15:8443" (VIP), "127.0.0.1:5443" (node-local), "*:6443" (dedicated).</param>
/// <param name="ApiServers">The control planes' API servers.</param>
/// <param name="Ingress">NodePorts to forward 80/443 to (dedicated mode), or null.</param>
/// <param name="IngressWorkers">Workers (address, port ignored) receiving the ingress traffic.</param>
public sealed record HaproxyConfig(string Bind, IReadOnlyList<HaproxyServer> ApiServers, IngressForwarding? Ingress, IReadOnlyList<HaproxyServer> IngressWorkers);
