using KubeHa.Core.Clusters;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// In node-local mode (seed 001) a joining node reaches the control plane through its own HAProxy on 127.0.0.1.
/// The load-balancer step may have run in an earlier attempt, before the host rebooted or HAProxy died; the join
/// steps converge instead of trusting that: start HAProxy when it is not active and wait until the local endpoint
/// accepts connections, so a join never fails on "connection refused" from a proxy that is merely starting.
/// </summary>
public static class LocalLoadBalancerReadiness
{
    public const int WaitSeconds = 60;

    /// <remarks>Commands run under <c>sh</c> (dash on Debian), which has no /dev/tcp: the wait runs in bash.</remarks>
    public static ShellScript Script(int port, int waitSeconds = WaitSeconds) =>
        $"systemctl is-active --quiet haproxy || systemctl start haproxy; " +
        $"bash -c 'for i in $(seq 1 {waitSeconds * 4}); do (exec 3<>/dev/tcp/{ControlPlaneEndpoint.Loopback}/{port}) 2>/dev/null && exit 0; sleep 0.25; done; exit 1' || " +
        $"{{ echo \"HAProxy does not accept connections on {ControlPlaneEndpoint.Loopback}:{port} after {waitSeconds} s (systemctl status haproxy; journalctl -u haproxy)\" >&2; exit 1; }}";

    public static Task EnsureAsync(HostSession host, CancellationToken cancellationToken)
    {
        var spec = host.Context.Spec;
        return spec.LoadBalancerMode == LoadBalancerMode.NodeLocal
            ? host.RunAsync(Script(spec.ControlPlaneEndpointPort), cancellationToken)
            : Task.CompletedTask;
    }
}
