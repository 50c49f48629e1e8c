using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.LoadBalancing;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// The cluster works as specified: every node Ready through the Kubernetes API (at the endpoint, or the control planes'
/// own addresses in node-local mode), every HAProxy backend UP (stats socket), etcd's member count right. Polls each
/// condition until <see cref="ProvisioningOptions.VerifyTimeout"/>.
/// </summary>
public sealed class VerifyClusterStep(IClusterApi api) : Step
{
    public override string Key => "verify-cluster";

    public override string Title => "Verify nodes, load balancers and etcd";

    public override bool RepeatsOnResume => true;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(10);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.InitHost is { } init ? [init] : [];

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        var kubeconfig = context.AdminKubeconfig ?? await host.ReadFileAsync(KubeadmPaths.AdminConf, cancellationToken);
        var expected = context.KubernetesNodes.Select(context.NodeName).ToHashSet(StringComparer.Ordinal);
        var endpoints = ControlPlaneEndpoint.ForKubeHa(context.Spec, context.Members);
        if (host.IsDryRun || kubeconfig is null)
        {
            host.Note($"would check {expected.Count} node(s) Ready through {string.Join(", ", endpoints)}");
        }
        else
        {
            await PollAsync(host, "every node Ready", async ct =>
            {
                var nodes = await api.GetNodesAsync(kubeconfig, endpoints, ct);
                var notReady = expected.Where(n => !nodes.Any(x => x.Name == n && x.Ready)).ToList();
                return notReady.Count == 0 ? null : $"not Ready yet: {string.Join(", ", notReady)}";
            }, cancellationToken);
        }

        foreach (var balancer in context.LoadBalancerHosts)
        {
            var session = await context.SessionAsync(balancer, cancellationToken);
            await PollAsync(session, "every HAProxy backend UP", async ct =>
            {
                var csv = await session.QueryAsync("read HAProxy stats", HaproxyStatCsv.ShowStat(HaproxyConfigRenderer.StatsSocket), ct);
                if (session.IsDryRun)
                {
                    return null;
                }

                var down = HaproxyStatCsv.Parse(csv).Where(s => s.Backend == HaproxyConfigRenderer.ApiBackend && !s.Status.StartsWith("UP", StringComparison.Ordinal)).ToList();
                return down.Count == 0 ? null : "not UP: " + string.Join(", ", down.Select(d => $"{d.Server} {d.Status}"));
            }, cancellationToken);
        }

        await VerifyEtcdAsync(host, cancellationToken);
    }

    private async Task VerifyEtcdAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;
        var external = context.Spec.EtcdTopology == EtcdTopology.External;
        var expected = external ? context.EtcdHosts.Count() : context.ControlPlanes.Count();
        var session = external ? await context.SessionAsync(context.EtcdHosts.First(), cancellationToken) : host;

        // Through the runtime on the member's own host first, not `kubectl exec`: it needs no API server round trip and
        // works the same for stacked and external etcd (the etcd image ships etcdctl).
        var etcdctl = Etcdctl.On(context.Spec, session.Host.Address, session.NodeName);
        await PollAsync(session, $"{expected} etcd members", async ct =>
        {
            var output = await session.QueryAsync("list etcd members", $"{etcdctl}\n{Etcdctl.Command} member list", ct);
            var started = output.Split('\n').Count(l => l.Contains(", started,", StringComparison.Ordinal));
            return session.IsDryRun || started == expected ? null : $"{started} of {expected} etcd members started";
        }, cancellationToken);
    }

    private static async Task PollAsync(HostSession host, string what, Func<CancellationToken, Task<string?>> check, CancellationToken cancellationToken)
    {
        var deadline = host.Context.Time.GetUtcNow() + host.Context.Options.VerifyTimeout;
        string? problem;
        while ((problem = await TryAsync(check, cancellationToken)) is not null)
        {
            if (host.Context.Time.GetUtcNow() >= deadline)
            {
                throw new StepFailedException(host.Host.Name, what, null, string.Empty, $"Verification failed on {host.Host.Name}: {what}: {problem}.");
            }

            host.Note($"waiting for {what}: {problem}");
            await Task.Delay(TimeSpan.FromSeconds(3), host.Context.Time, cancellationToken);
        }

        host.Note($"verified: {what}");
    }

    private static async Task<string?> TryAsync(Func<CancellationToken, Task<string?>> check, CancellationToken cancellationToken)
    {
        try
        {
            return await check(cancellationToken);
        }
        catch (Exception ex) when (ex is StepFailedException or InvalidOperationException)
        {
            return ex.Message.Split('\n')[0];
        }
    }
}
