using KubeHa.Core.Clusters.Health;

namespace KubeHa.Web.Live;

/// <summary>
/// Keeps the clusters list current, cheaply: it reloads when a health check was stored (<see cref="ClusterHealthEvents"/>:
/// this process's monitor, or a standalone agent's through its relay), and otherwise every <c>period</c> (the
/// "checked N s ago" text moves on). Reloads are coalesced (<see cref="CoalescingRefresher"/>). Disposing it unsubscribes.
/// </summary>
public sealed class ClusterListFeed : IAsyncDisposable
{
    private readonly ClusterHealthEvents _events;
    private readonly CoalescingRefresher _refresher;

    /// <param name="events">Health checks stored.</param>
    /// <param name="time">Clock of the periodic reload.</param>
    /// <param name="period">How often to reload without an event.</param>
    /// <param name="refresh">Reloads the page's state; a Blazor page passes <c>ct => InvokeAsync(() => ReloadAsync(ct))</c>.</param>
    public ClusterListFeed(ClusterHealthEvents events, TimeProvider time, TimeSpan period, Func<CancellationToken, Task> refresh)
    {
        _events = events;
        _refresher = new CoalescingRefresher(refresh, time: time, period: period);
        _events.HealthRecorded += OnRecorded;
    }

    public async ValueTask DisposeAsync()
    {
        _events.HealthRecorded -= OnRecorded;
        await _refresher.DisposeAsync();
    }

    // Called on the monitor's thread: never block it.
    private void OnRecorded(int clusterId) => _refresher.Request();
}
