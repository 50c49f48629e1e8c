using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;

namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// A cluster's live health as a stream of snapshots: nodes and control-plane pods pushed by the Kubernetes watch as soon
/// as they change; each HAProxy host (stats socket, VIP) and etcd polled every <see cref="PollInterval"/> over one kept
/// SSH connection per host, each in its own loop so a dead host does not hold the others back. A snapshot is yielded on
/// every change; a slow reader gets the latest, never a backlog. Each subscription owns its connections and closes them
/// when cancelled.
/// </summary>
public sealed class ClusterHealthFeed(
    ClusterCatalog catalog,
    KubeconfigReader kubeconfigs,
    IKubernetesHealthWatcher watcher,
    IHostShellFactory shells,
    TimeProvider time) : IClusterHealthFeed
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the stats socket is on load-balancer hosts (tests point it elsewhere).</summary>
    public string StatsSocket { get; init; } = LoadBalancing.HaproxyConfigRenderer.StatsSocket;

    /// <summary>Snapshots until cancelled; nothing when the cluster does not exist.</summary>
    public async IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = await catalog.GetAsync(clusterId, cancellationToken);
        if (cluster is null)
        {
            yield break;
        }

        var stored = await kubeconfigs.ReadAsync(clusterId, cancellationToken);
        var spec = cluster.Spec;
        var virtualIp = spec.LoadBalancerMode == LoadBalancerMode.KeepalivedVip ? spec.VirtualIp : null;
        var balancers = (spec.LoadBalancerMode == LoadBalancerMode.NodeLocal
            ? cluster.Members.Where(m => m.IsKubernetesNode)
            : cluster.Members.Where(m => m.Is(NodeRole.LoadBalancer))).ToList();
        var state = new HealthState(clusterId, virtualIp, balancers, time);
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        void Changed() => changed.Writer.TryWrite(true);

        await using var probe = new ClusterHostProbe(shells, time, StatsSocket);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = new List<Task>();
        if (stored?.Content is { } kubeconfig)
        {
            var endpoints = ControlPlaneEndpoint.ForKubeHa(spec, cluster.Members);
            loops.Add(Task.Run(() => FollowKubernetesAsync(kubeconfig, endpoints, state, Changed, cts.Token), CancellationToken.None));
        }
        else
        {
            state.SetKubernetes(KubernetesHealth.Connecting with { Error = "No admin kubeconfig stored yet: it is stored when a create run reaches the fetch-kubeconfig step." });
        }

        foreach (var balancer in balancers)
        {
            loops.Add(Task.Run(() => PollAsync(async ct => state.SetLoadBalancer(await probe.ReadLoadBalancerAsync(balancer, virtualIp, ct)), Changed, cts.Token), CancellationToken.None));
        }

        loops.Add(Task.Run(() => PollAsync(async ct => state.SetEtcd(await probe.ReadEtcdAsync(spec, cluster.Members, ct)), Changed, cts.Token), CancellationToken.None));

        try
        {
            yield return state.Snapshot();
            while (await changed.Reader.WaitToReadAsync(cancellationToken))
            {
                changed.Reader.TryRead(out _);
                yield return state.Snapshot();
            }
        }
        finally
        {
            await cts.CancelAsync();
            await Task.WhenAll(loops).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One settled snapshot for the REST API: the first in which every source (API, each load balancer, etcd) has answered
    /// or failed once, or the latest one after <paramref name="timeout"/>. Null when the cluster does not exist.
    /// </summary>
    public async Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        ClusterHealthSnapshot? last = null;
        try
        {
            await foreach (var snapshot in WatchAsync(clusterId, cts.Token))
            {
                last = snapshot;
                if (snapshot.Settled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timeout: answer with what is known
        }

        return last;
    }

    private async Task FollowKubernetesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, HealthState state, Action changed, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var health in watcher.WatchAsync(kubeconfig, endpoints, cancellationToken))
            {
                state.SetKubernetes(health);
                changed();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(Func<CancellationToken, Task<bool>> read, Action changed, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await read(cancellationToken))
                {
                    changed();
                }

                await Task.Delay(PollInterval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
