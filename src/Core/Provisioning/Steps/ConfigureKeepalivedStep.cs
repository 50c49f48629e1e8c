using System.Net;
using KubeHa.Core.Clusters;
using KubeHa.Core.LoadBalancing;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// Keepalived on the load-balancer hosts (keepalived mode): unicast VRRP holding the VIP where HAProxy runs. A host a
/// reset removes gets keepalived stopped first (the VIP fails over to a peer that still lists it), then the others are
/// restarted with the remaining peers. Day-2 plans restart one at a time, so both balancers never drop the VIP together.
/// </summary>
/// <param name="fanout">Parallel at create, one at a time in day-2 plans.</param>
public sealed class ConfigureKeepalivedStep(Fanout fanout = Fanout.Parallel) : Step
{
    private const string Candidate = KeepalivedConfigRenderer.ConfigPath + ".kubeha-candidate";

    public override string Key => "configure-keepalived";

    public override string Title => "Configure keepalived (VIP)";

    public override Fanout Fanout => fanout;

    // Peers change only when a load balancer joins or leaves: adding control planes or workers leaves keepalived alone.
    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.Spec.LoadBalancerMode == LoadBalancerMode.KeepalivedVip
        && (context.Adding is null || context.Members.Any(m => m.Is(NodeRole.LoadBalancer) && context.Adding.Contains(m.HostId)))
            ? context.Members.Where(m => m.Is(NodeRole.LoadBalancer)).OrderBy(m => context.IsRemoving(m) ? 0 : 1).ToList()
            : [];

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        if (context.Remaining.All(m => !m.Is(NodeRole.ControlPlane)) || context.IsRemoving(host.Host))
        {
            await host.RunAsync($"systemctl disable --now keepalived 2>/dev/null || true; rm -f {KeepalivedConfigRenderer.ConfigPath}", cancellationToken);
            return;
        }

        if (!host.State.KeepalivedInstalled)
        {
            await host.RunAsync($"apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q keepalived", cancellationToken);
        }

        var balancers = context.Remaining.Where(m => m.Is(NodeRole.LoadBalancer)).ToList();
        var index = balancers.FindIndex(m => m.HostId == host.Host.HostId);
        var instance = new KeepalivedInstance(
            InterfaceFor(host.State, context.Spec.VirtualIp!, host.Host.Address),
            host.Host.Address,
            balancers.Where(m => m.HostId != host.Host.HostId).Select(m => m.Address).ToList(),
            context.Spec.VirtualIp!,
            context.Spec.VirtualIpPrefixLength,
            context.Spec.VirtualRouterId,
            KeepalivedConfigRenderer.PriorityFor(index));
        await host.UploadAsync(Candidate, KeepalivedConfigRenderer.Render(instance), "644", cancellationToken);
        await host.RunAsync($"keepalived -t -f {Candidate}", cancellationToken);
        await host.RunAsync($"mv -f {Candidate} {KeepalivedConfigRenderer.ConfigPath} && systemctl enable keepalived && systemctl restart keepalived", cancellationToken);
    }

    /// <summary>The interface whose subnet holds the VIP, else the one carrying the host's address, else eth0.</summary>
    public static string InterfaceFor(NodeState state, string virtualIp, string hostAddress)
    {
        bool Holds(InterfaceAddress a, string ip) =>
            a.Cidr.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(ip, out var addr) &&
            IPNetwork.Parse(NetworkOf(a.Cidr)).Contains(addr);
        return state.Addresses.FirstOrDefault(a => Holds(a, virtualIp))?.Interface
            ?? state.Addresses.FirstOrDefault(a => a.Cidr.Split('/')[0] == hostAddress)?.Interface
            ?? "eth0";
    }

    // "192.168.56.11/24" -> "192.168.56.0/24" (IPNetwork.Parse rejects host bits).
    private static string NetworkOf(string cidr)
    {
        var parts = cidr.Split('/');
        var prefix = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return $"{new IPAddress(bytes)}/{prefix}";
    }
}
