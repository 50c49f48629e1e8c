using System.Threading.Channels;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;

namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// One cluster's health sources, run once for every subscriber of that cluster: the Kubernetes watch, one poll loop per
/// load-balancer host and one for etcd, over one SSH connection per host. Each subscriber has a one-slot channel that
/// always holds the latest snapshot (a slow page skips intermediate ones, never lags behind). Ends when cancelled by
/// <see cref="ClusterHealthFeed"/> after its last subscriber left; the connections close then.
/// </summary>
internal sealed class ClusterHealthSession
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ClusterHealthSnapshot>> _subscribers = [];
    private readonly CancellationTokenSource _cts = new();
    private ClusterHealthSnapshot? _latest;
    private HealthState? _state;
    private bool _completed;

    public ClusterHealthSession(int clusterId) => ClusterId = clusterId;

    public int ClusterId { get; }

    /// <summary>Guarded by the feed's lock: subscribers holding this session.</summary>
    public int References { get; set; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(Func<ClusterHealthSession, CancellationToken, Task> run) =>
        Completion = Task.Run(() => run(this, _cts.Token), CancellationToken.None);

    public ChannelReader<ClusterHealthSnapshot> Subscribe()
    {
        var channel = Channel.CreateBounded<ClusterHealthSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
                return channel.Reader;
            }

            _subscribers.Add(channel);
            if (_latest is not null)
            {
                channel.Writer.TryWrite(_latest);
            }
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<ClusterHealthSnapshot> reader)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    /// <summary>Cancels the sources; the token source is disposed once they have ended.</summary>
    public void Stop()
    {
        _cts.Cancel();
        Completion.ContinueWith(_ => _cts.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Attach(HealthState state) => _state = state;

    /// <summary>Sends the current state to every subscriber.</summary>
    public void Publish()
    {
        if (_state is null)
        {
            return;
        }

        lock (_gate)
        {
            _latest = _state.Snapshot();
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(_latest);
            }
        }
    }

    /// <summary>The cluster does not exist (or the sources failed for good): every subscriber's stream ends.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
