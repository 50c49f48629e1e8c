using System.Threading.Channels;
using KubeHa.Core.Clusters.Health;

namespace KubeHa.Web.Live;

/// <summary>
/// Keeps the clusters list current, cheaply: it reloads when this process's health monitor stored a check
/// (<see cref="ClusterHealthEvents"/>), and otherwise every <c>period</c> (a standalone agent on PostgreSQL stores its
/// checks from another process; the "checked N s ago" text moves on). Events are coalesced: a pass over 20 clusters
/// causes one or two reloads, never 20 queued ones. Disposing it unsubscribes and ends the loops.
/// </summary>
public sealed class ClusterListFeed : IAsyncDisposable
{
    private readonly ClusterHealthEvents _events;
    private readonly Func<CancellationToken, Task> _refresh;
    private readonly Channel<int> _changes = Channel.CreateBounded<int>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;
    private readonly Task _ticks;

    /// <param name="events">Health checks stored in this process.</param>
    /// <param name="time">Clock of the periodic reload.</param>
    /// <param name="period">How often to reload without an event.</param>
    /// <param name="refresh">Reloads the page's state; a Blazor page passes <c>ct => InvokeAsync(() => ReloadAsync(ct))</c>.</param>
    public ClusterListFeed(ClusterHealthEvents events, TimeProvider time, TimeSpan period, Func<CancellationToken, Task> refresh)
    {
        _events = events;
        _refresh = refresh;
        _events.HealthRecorded += OnRecorded;
        _loop = RunAsync(_cts.Token);
        _ticks = TickAsync(time, period, _cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _events.HealthRecorded -= OnRecorded;
        _changes.Writer.TryComplete();
        await _cts.CancelAsync();
        try
        {
            await Task.WhenAll(_loop, _ticks);
        }
        catch (OperationCanceledException)
        {
        }

        _cts.Dispose();
    }

    // Called on the monitor's thread: never block it.
    private void OnRecorded(int clusterId) => _changes.Writer.TryWrite(clusterId);

    private async Task TickAsync(TimeProvider time, TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            _changes.Writer.TryWrite(0);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _changes.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await _refresh(cancellationToken);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
