using System.Threading.Channels;

namespace KubeHa.Core.Runs;

/// <summary>
/// Every event published in this process, for a relay (<see cref="RunEvents.SubscribeAll"/>). The channel is bounded
/// and the publisher never waits: a run must not slow down because the network to Web is slow. When the channel is
/// full an event is not queued and <see cref="Dropped"/> counts it (nothing already queued is discarded, so what
/// arrives stays in order); the lines themselves are in the ledger, which viewers read to fill any gap.
/// </summary>
public sealed class RunEventsSubscription : IDisposable
{
    private readonly Channel<RunEvent> _channel;
    private readonly Action<RunEventsSubscription> _unsubscribe;
    private long _dropped;

    internal RunEventsSubscription(int capacity, Action<RunEventsSubscription> unsubscribe)
    {
        _channel = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of waiting: counted in Dropped
            SingleReader = true,
        });
        _unsubscribe = unsubscribe;
    }

    /// <summary>Events in publication order.</summary>
    public ChannelReader<RunEvent> Reader => _channel.Reader;

    /// <summary>Events not queued because the channel was full, since the subscription began.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(RunEvent e)
    {
        if (!_channel.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
