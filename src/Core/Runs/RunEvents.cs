using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace KubeHa.Core.Runs;

/// <summary>
/// The in-process live feed of runs. A page (or hub) reads the snapshot from the ledger, then subscribes here and
/// skips log events whose Seq it already has. Each subscriber has its own bounded channel: a slow reader loses its
/// oldest events, never blocks the run. A relay (a standalone agent sending its events to Web) takes every run's
/// events with <see cref="SubscribeAll"/>.
/// </summary>
public sealed class RunEvents
{
    public const int SubscriberCapacity = 10_000;

    /// <summary>Default bound of a <see cref="SubscribeAll"/> channel: about a minute of a very chatty run.</summary>
    public const int AllSubscriberCapacity = 100_000;

    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Channel<RunEvent>, byte>> _subscribers = new();
    private readonly ConcurrentDictionary<RunEventsSubscription, byte> _all = new();

    public void Publish(RunEvent e)
    {
        foreach (var all in _all.Keys)
        {
            all.Offer(e);
        }

        if (_subscribers.TryGetValue(e.RunId, out var channels))
        {
            foreach (var channel in channels.Keys)
            {
                channel.Writer.TryWrite(e);
            }
        }
    }

    /// <summary>Events of one run from now on, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<RunEvent> SubscribeAsync(long runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var channels = _subscribers.GetOrAdd(runId, _ => new());
        channels[channel] = 0;
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            channels.TryRemove(channel, out _);
        }
    }

    /// <summary>
    /// Every run's events from now on, until the subscription is disposed. Never blocks <see cref="Publish"/>: when
    /// <paramref name="capacity"/> events are waiting, further ones are counted in <see cref="RunEventsSubscription.Dropped"/>.
    /// </summary>
    public RunEventsSubscription SubscribeAll(int capacity = AllSubscriberCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new RunEventsSubscription(capacity, s => _all.TryRemove(s, out _));
        _all[subscription] = 0;
        return subscription;
    }
}
