using KubeHa.Core.Kubernetes;
using KubeHa.Testing.LoadBalancing;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>
/// KubernetesHealthWatcher with the real KubernetesClient against <see cref="SimulatedKubernetesApi"/> (a simulated API
/// server on loopback): list then watch, a node going NotReady arrives as a watch event without another list, and a dead
/// endpoint fails over to the next.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KubernetesHealthWatcherTests
{
    private static SimulatedKubernetesApi Api(int? port = null) => new(
        [
            SimulatedKubernetesApi.Node("node1", ready: true, "10.77.0.11", "10", controlPlane: true),
            SimulatedKubernetesApi.Node("node6", ready: true, "10.77.0.16", "11"),
        ],
        [
            SimulatedKubernetesApi.Pod("kube-system", "kube-apiserver-node1", "node1", "kube-apiserver"),
            SimulatedKubernetesApi.Pod("kube-system", "etcd-node1", "node1", "etcd"),
            SimulatedKubernetesApi.Pod("default", "web-1", "node6", "web"),
            SimulatedKubernetesApi.Pod("default", "job-1", "node6", "job", phase: "Succeeded"),
        ],
        port);

    [Fact]
    public async Task WatchAsync_NodeGoesNotReady_PushedByTheWatchWithoutListingAgain()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var api = Api();
        var watcher = new KubernetesHealthWatcher(TimeProvider.System);
        await using var feed = watcher.WatchAsync(SimulatedKubernetesApi.Kubeconfig(api.Endpoint), [api.Endpoint], cts.Token).GetAsyncEnumerator(cts.Token);

        var listed = await NextAsync(feed, h => h.Nodes.Count == 2);
        Assert.Null(listed.Error);
        Assert.False(listed.Stale);
        var node1 = listed.Nodes.Single(n => n.Name == "node1");
        Assert.True(node1.Ready);
        Assert.Equal(["control-plane"], node1.Roles);
        Assert.Equal("v1.31.2", node1.KubeletVersion);
        Assert.Equal("10.77.0.11", node1.InternalIp);
        Assert.Equal("Ready", node1.Conditions[0].Type);
        Assert.Equal(2, node1.Pods);
        Assert.Equal(1, listed.Nodes.Single(n => n.Name == "node6").Pods); // the finished job does not count
        Assert.Empty(listed.Nodes.Single(n => n.Name == "node6").Roles);
        Assert.Equal(["etcd", "kube-apiserver"], listed.ControlPlanePods.Select(p => p.Component));
        Assert.All(listed.ControlPlanePods, p => Assert.True(p.Ready));

        await UntilAsync(() => api.NodeWatches == 1, cts.Token);
        api.SendNodeEvent("MODIFIED", SimulatedKubernetesApi.Node("node1", ready: false, "10.77.0.11", "12", controlPlane: true));
        var notReady = await NextAsync(feed, h => h.Nodes.Any(n => n.Name == "node1" && !n.Ready));

        var ready = notReady.Nodes.Single(n => n.Name == "node1").Conditions.Single(c => c.Type == "Ready");
        Assert.Equal("NodeStatusUnknown", ready.Reason);
        Assert.Equal(1, api.NodeLists); // the change came from the watch, not from polling

        api.SendNodeEvent("DELETED", SimulatedKubernetesApi.Node("node6", ready: true, "10.77.0.16", "13"));
        var deleted = await NextAsync(feed, h => h.Nodes.Count == 1);
        Assert.Equal("node1", deleted.Nodes[0].Name);
    }

    [Fact]
    public async Task WatchAsync_FirstEndpointDead_ReportsItThenFailsOverToTheNext()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var api = Api();
        var dead = new Uri($"http://127.0.0.1:{HaproxyProcess.FreePort()}");
        var watcher = new KubernetesHealthWatcher(TimeProvider.System);
        await using var feed = watcher.WatchAsync(SimulatedKubernetesApi.Kubeconfig(dead), [dead, api.Endpoint], cts.Token).GetAsyncEnumerator(cts.Token);

        var health = await NextAsync(feed, h => h.Error is null && h.Nodes.Count == 2);

        Assert.Equal(api.Endpoint, health.Endpoint);
        Assert.False(health.Stale);
    }

    [Fact]
    public async Task WatchAsync_FirstEndpointAnswersAgain_ReturnsToIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var port = HaproxyProcess.FreePort();
        var vip = new Uri($"http://127.0.0.1:{port}");
        await using var controlPlane = Api();
        var watcher = new KubernetesHealthWatcher(TimeProvider.System, preferredRetry: TimeSpan.FromMilliseconds(500));
        await using var feed = watcher.WatchAsync(SimulatedKubernetesApi.Kubeconfig(vip), [vip, controlPlane.Endpoint], cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal(controlPlane.Endpoint, (await NextAsync(feed, h => h.Error is null && h.Nodes.Count == 2)).Endpoint);

        await using var back = Api(port);

        var health = await NextAsync(feed, h => h.Endpoint == vip);
        Assert.Null(health.Error);
        Assert.Equal(2, health.Nodes.Count);
    }

    private static async Task<KubernetesHealth> NextAsync(IAsyncEnumerator<KubernetesHealth> feed, Func<KubernetesHealth, bool> condition)
    {
        while (await feed.MoveNextAsync())
        {
            if (condition(feed.Current))
            {
                return feed.Current;
            }
        }

        throw new InvalidOperationException("The feed ended.");
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
