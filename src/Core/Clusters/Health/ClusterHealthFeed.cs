using System.Runtime.CompilerServices;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// A cluster's live health as a stream of snapshots: nodes and control-plane pods pushed by the Kubernetes watch as soon
/// as they change; each HAProxy host (stats socket, VIP) and etcd polled every <see cref="PollInterval"/> over one kept
/// SSH connection per host (<see cref="ClusterHealthOptions"/>), each in its own loop so a dead host does not hold the others back. Every subscriber of a
/// cluster (pages, API calls) shares one <see cref="ClusterHealthSession"/>: one watch and one set of connections however
/// many browsers look; it stops when the last subscriber leaves. A slow reader gets the latest snapshot, never a backlog.
/// </summary>
public sealed partial class ClusterHealthFeed(
    ClusterCatalog catalog,
    KubeconfigReader kubeconfigs,
    IKubernetesHealthWatcher watcher,
    IHostShellFactory shells,
    TimeProvider time,
    IOptions<ClusterHealthOptions> options,
    ILogger<ClusterHealthFeed> logger) : IClusterHealthFeed
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ClusterHealthSession> _sessions = [];
    private readonly Dictionary<int, (ClusterHealthSnapshot Snapshot, DateTimeOffset ReadAt)> _recentReads = [];

    private TimeSpan PollInterval => options.Value.PollInterval;

    /// <summary>Snapshots until cancelled; nothing when the cluster does not exist.</summary>
    public async IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = Acquire(clusterId);
        var reader = session.Subscribe();
        try
        {
            await foreach (var snapshot in reader.ReadAllAsync(cancellationToken))
            {
                yield return snapshot;
            }
        }
        finally
        {
            session.Unsubscribe(reader);
            Release(session);
        }
    }

    /// <summary>
    /// One settled snapshot for the REST API: the first in which every source (API, each load balancer, etcd) has answered
    /// or failed once, or the latest one after <paramref name="timeout"/>. Null when the cluster does not exist.
    /// </summary>
    public async Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A settled reading younger than ReadCacheDuration answers at once: a viewer polling the API does not open
        // fresh SSH sessions to every host on each GET. (While someone follows the cluster live, the read below
        // joins that session and opens nothing either.)
        lock (_gate)
        {
            if (_recentReads.TryGetValue(clusterId, out var recent) && time.GetUtcNow() - recent.ReadAt < options.Value.ReadCacheDuration)
            {
                return recent.Snapshot;
            }
        }

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

        if (last is { Settled: true })
        {
            lock (_gate)
            {
                _recentReads[clusterId] = (last, time.GetUtcNow());
            }
        }

        return last;
    }

    private ClusterHealthSession Acquire(int clusterId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(clusterId, out var session))
            {
                session = new ClusterHealthSession(clusterId);
                _sessions[clusterId] = session;
                session.Start(RunAsync);
            }

            session.References++;
            return session;
        }
    }

    private void Release(ClusterHealthSession session)
    {
        lock (_gate)
        {
            if (--session.References > 0)
            {
                return;
            }

            _sessions.Remove(session.ClusterId);
        }

        session.Stop();
    }

    private async Task RunAsync(ClusterHealthSession session, CancellationToken cancellationToken)
    {
        try
        {
            var cluster = await catalog.GetAsync(session.ClusterId, cancellationToken);
            if (cluster is null)
            {
                session.Complete();
                return;
            }

            await FollowAsync(session, cluster, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSessionFailed(ex, session.ClusterId);
            session.Complete(); // end the streams rather than leave them waiting
        }
    }

    private async Task FollowAsync(ClusterHealthSession session, ClusterDetails cluster, CancellationToken cancellationToken)
    {
        var stored = await kubeconfigs.ReadAsync(cluster.Summary.Id, cancellationToken);
        var spec = cluster.Spec;
        var virtualIp = spec.LoadBalancerMode == LoadBalancerMode.KeepalivedVip ? spec.VirtualIp : null;
        var balancers = (spec.LoadBalancerMode == LoadBalancerMode.NodeLocal
            ? cluster.Members.Where(m => m.IsKubernetesNode)
            : cluster.Members.Where(m => m.Is(NodeRole.LoadBalancer))).ToList();
        var state = new HealthState(cluster.Summary.Id, virtualIp, balancers, time);
        session.Attach(state);

        await using var probe = new ClusterHostProbe(shells, time, options.Value.StatsSocket);
        var loops = new List<Task>();
        if (stored?.Content is { } kubeconfig)
        {
            var endpoints = ControlPlaneEndpoint.ForKubeHa(spec, cluster.Members);
            loops.Add(Task.Run(() => FollowKubernetesAsync(kubeconfig, endpoints, state, session.Publish, cancellationToken), CancellationToken.None));
        }
        else
        {
            state.SetKubernetes(KubernetesHealth.Connecting with { Error = "No admin kubeconfig stored yet: it is stored when a create run reaches the fetch-kubeconfig step." });
        }

        session.Publish();
        foreach (var balancer in balancers)
        {
            loops.Add(Task.Run(() => PollAsync(async ct => state.SetLoadBalancer(await probe.ReadLoadBalancerAsync(balancer, virtualIp, ct)), session.Publish, cancellationToken), CancellationToken.None));
        }

        loops.Add(Task.Run(() => PollAsync(async ct => state.SetEtcd(await probe.ReadEtcdAsync(spec, cluster.Members, ct)), session.Publish, cancellationToken), CancellationToken.None));
        await Task.WhenAll(loops); // each ends when cancelled; then the probe closes the connections
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Health feed of cluster {ClusterId} failed; its subscribers' streams end")]
    private partial void LogSessionFailed(Exception exception, int clusterId);
}
