using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace KubeHa.Core.Kubernetes;

/// <summary>
/// <see cref="IKubernetesHealthWatcher"/> with KubernetesClient: list nodes and pods, then one watch on each from the
/// list's resourceVersion; every event updates the state and publishes a snapshot at once. A watch that ends (the
/// server's timeout, HAProxy closing the connection of a killed apiserver, 410 Gone) is followed by a fresh list and
/// watch; an endpoint that fails makes the next one current, and the snapshot says so (<see cref="KubernetesHealth.Error"/>).
/// While on a fallback, the first endpoint (the VIP or load balancer) is tried again every <paramref name="preferredRetry"/>
/// (30 s by default) and becomes current again as soon as it answers.
/// </summary>
public sealed class KubernetesHealthWatcher(TimeProvider time, TimeSpan? preferredRetry = null) : IKubernetesHealthWatcher
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The server ends each watch after this long, so a silently dead connection is noticed within it.</summary>
    public const int WatchTimeoutSeconds = 60;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>A watch that ends sooner than this is followed by a pause before listing again (no tight relist loop).</summary>
    private static readonly TimeSpan ShortestWatch = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<KubernetesHealth> WatchAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (endpoints.Count == 0)
        {
            yield return KubernetesHealth.Connecting with { Error = "The cluster has no API endpoint (no control plane)." };
            yield break;
        }

        var channel = Channel.CreateBounded<KubernetesHealth>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = Task.Run(() => FollowAsync(kubeconfig, endpoints, channel.Writer, cts.Token), CancellationToken.None);
        try
        {
            await foreach (var health in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return health;
            }
        }
        finally
        {
            await cts.CancelAsync();
            await loop.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task FollowAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, ChannelWriter<KubernetesHealth> writer, CancellationToken cancellationToken)
    {
        var state = new ClusterObjectsState();
        var current = 0;
        var failedInARow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var endpoint = endpoints[current];
            using var back = current == 0 ? new CancellationTokenSource() : new CancellationTokenSource(preferredRetry ?? TimeSpan.FromSeconds(30), time);
            try
            {
                using var client = await ConnectAsync(kubeconfig, endpoint);
                var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
                var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken);
                state.Reset(nodes.Items, pods.Items);
                failedInARow = 0;
                writer.TryWrite(state.Snapshot(endpoint, null));

                var watchStarted = time.GetTimestamp();
                using var watches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, back.Token);
                var nodeWatch = WatchNodesAsync(client, nodes.Metadata.ResourceVersion, state, endpoint, writer, watches.Token);
                var podWatch = WatchPodsAsync(client, pods.Metadata.ResourceVersion, state, endpoint, writer, watches.Token);
                var first = await Task.WhenAny(nodeWatch, podWatch);
                await watches.CancelAsync();
                await Task.WhenAll(nodeWatch, podWatch).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                await first; // a watch that failed (rather than ended) makes this endpoint fail over
                if (back.IsCancellationRequested)
                {
                    // On a fallback for a while: back to the first endpoint if it answers; otherwise list and watch here again.
                    current = await AnswersAsync(kubeconfig, endpoints[0], cancellationToken) ? 0 : current;
                    continue;
                }

                if (time.GetElapsedTime(watchStarted) < ShortestWatch)
                {
                    await Task.Delay(ShortestWatch, time, cancellationToken);
                }
            }
            catch (Exception) when (back.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                current = await AnswersAsync(kubeconfig, endpoints[0], cancellationToken) ? 0 : current;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                writer.TryWrite(state.Snapshot(endpoint, Describe(endpoint, ex)));
                current = (current + 1) % endpoints.Count;
                if (++failedInARow >= endpoints.Count)
                {
                    await Task.Delay(RetryDelay, time, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
    }

    private static async Task WatchNodesAsync(IKubernetes client, string resourceVersion, ClusterObjectsState state, Uri endpoint, ChannelWriter<KubernetesHealth> writer, CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListNodeAsync(resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, cancellationToken: cancellationToken);
        await foreach (var (type, node) in events.WithCancellation(cancellationToken))
        {
            if (type == WatchEventType.Error)
            {
                return; // 410 Gone and the like: list again
            }

            if (type != WatchEventType.Bookmark && state.Apply(type, node))
            {
                writer.TryWrite(state.Snapshot(endpoint, null));
            }
        }
    }

    private static async Task WatchPodsAsync(IKubernetes client, string resourceVersion, ClusterObjectsState state, Uri endpoint, ChannelWriter<KubernetesHealth> writer, CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, cancellationToken: cancellationToken);
        await foreach (var (type, pod) in events.WithCancellation(cancellationToken))
        {
            if (type == WatchEventType.Error)
            {
                return;
            }

            if (type != WatchEventType.Bookmark && state.Apply(type, pod))
            {
                writer.TryWrite(state.Snapshot(endpoint, null));
            }
        }
    }

    private static async Task<bool> AnswersAsync(string kubeconfig, Uri endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(ProbeTimeout);
            using var client = await ConnectAsync(kubeconfig, endpoint);
            await client.CoreV1.ListNodeAsync(limit: 1, cancellationToken: probe.Token);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<k8s.Kubernetes> ConnectAsync(string kubeconfig, Uri endpoint)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        var config = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream, masterUrl: endpoint.ToString().TrimEnd('/'));
        return new k8s.Kubernetes(config);
    }

    /// <summary>The exception's type and first line: HTTP and socket errors, never the kubeconfig.</summary>
    private static string Describe(Uri endpoint, Exception ex)
    {
        var inner = ex is HttpRequestException { InnerException: { } cause } ? cause : ex;
        return $"{endpoint.Authority}: {inner.GetType().Name}: {inner.Message.Split('\n')[0].Trim()}";
    }
}
