using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace KubeHa.Core.Runs;

/// <summary>
/// The in-process live feed of runs. A page (or hub) reads the snapshot from the ledger, then subscribes here and
/// skips log events whose Seq it already has. Each subscriber has its own bounded channel: a slow reader loses its
/// oldest events, never blocks the run.
/// </summary>
public sealed class RunEvents
{
    public const int SubscriberCapacity = 10_000;

    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Channel<RunEvent>, byte>> _subscribers = new();

    public void Publish(RunEvent e)
    {
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
}
