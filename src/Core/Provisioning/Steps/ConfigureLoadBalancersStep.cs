using KubeHa.Core.Clusters;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// HAProxy on every load-balancer host (every node in node-local mode) with the control planes that stay in the
/// cluster as backends: rendered, checked with <c>haproxy -c</c> on the host, then swapped in and reloaded. Runs in
/// create, add-nodes and reset, so every load balancer's backends follow the cluster's membership. A host a reset
/// removes gets HAProxy stopped. Day-2 plans reload one load balancer at a time (<paramref name="fanout"/>), so the
/// endpoint never loses every HAProxy at once; an add-nodes run that joins only workers touches only new hosts.
/// </summary>
/// <param name="fanout">Parallel at create (nothing is served yet), one at a time in day-2 plans.</param>
public sealed class ConfigureLoadBalancersStep(Fanout fanout = Fanout.Parallel) : Step
{
    private const string Candidate = HaproxyConfigRenderer.ConfigPath + ".kubeha-candidate";

    public override string Key => "configure-load-balancers";

    public override string Title => "Configure HAProxy";

    public override Fanout Fanout => fanout;

    // Hosts that leave first (their HAProxy stops), then the others; in an add-nodes run of workers only the new hosts.
    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.LoadBalancerHosts.Where(m => context.BackendsChange || context.Concerns(m))
            .OrderBy(m => context.IsRemoving(m) ? 0 : 1).ToList();

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        var apiServers = context.Remaining.Where(m => m.Is(NodeRole.ControlPlane))
            .Select(m => new HaproxyServer(context.NodeName(m), m.Address, context.Spec.ApiServerPort)).ToList();
        if (apiServers.Count == 0 || context.IsRemoving(host.Host))
        {
            host.Note(apiServers.Count == 0 ? "no control plane remains: stopping HAProxy" : "leaving the cluster: stopping HAProxy");
            await host.RunAsync($"systemctl disable --now haproxy 2>/dev/null || true; rm -f {HaproxyConfigRenderer.ConfigPath}", cancellationToken);
            return;
        }

        if (!host.State.HaproxyInstalled)
        {
            await host.RunAsync($"apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy socat", cancellationToken);
        }

        if (context.Spec.LoadBalancerMode == LoadBalancerMode.KeepalivedVip)
        {
            await host.UploadAsync(NodeFiles.LoadBalancerSysctlPath, NodeFiles.LoadBalancerSysctl, "644", cancellationToken);
            await host.RunAsync($"sysctl -p {NodeFiles.LoadBalancerSysctlPath} >/dev/null", cancellationToken);
        }

        var config = new HaproxyConfig(Bind(context), apiServers, context.Spec.IngressForwarding,
            context.Remaining.Where(m => m.Is(NodeRole.Worker)).Select(m => new HaproxyServer(context.NodeName(m), m.Address, 0)).ToList());
        await host.UploadAsync(Candidate, HaproxyConfigRenderer.Render(config), "644", cancellationToken);
        await host.RunAsync($"haproxy -c -f {Candidate}", cancellationToken);
        await host.RunAsync($"mv -f {Candidate} {HaproxyConfigRenderer.ConfigPath} && mkdir -p /run/haproxy && systemctl enable haproxy && systemctl reload-or-restart haproxy", cancellationToken);
    }

    public override Task CleanUpAsync(HostSession host, CancellationToken cancellationToken) =>
        host.TryRunAsync($"rm -f {Candidate}", cancellationToken);

    public static string Bind(PlanContext context) => context.Spec.LoadBalancerMode switch
    {
        LoadBalancerMode.KeepalivedVip => $"{context.Spec.VirtualIp}:{context.Spec.ControlPlaneEndpointPort}",
        LoadBalancerMode.NodeLocal => $"{ControlPlaneEndpoint.Loopback}:{context.Spec.ControlPlaneEndpointPort}",
        _ => $"*:{context.Spec.ControlPlaneEndpointPort}",
    };
}
