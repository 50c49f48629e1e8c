using KubeHa.Core.Hosts;

namespace KubeHa.Web.Live;

/// <summary>
/// Turns <see cref="InventoryEvents"/> (this process's, or a standalone agent's through its relay) into coalesced
/// refreshes of one page (<see cref="CoalescingRefresher"/>). Disposing it unsubscribes and ends the loop.
/// </summary>
public sealed class InventoryChangeFeed : IAsyncDisposable
{
    private readonly InventoryEvents _events;
    private readonly CoalescingRefresher _refresher;

    /// <param name="events">The inventory's event source.</param>
    /// <param name="refresh">Reloads the page's state; a Blazor page passes <c>ct => InvokeAsync(() => ReloadAsync(ct))</c>.</param>
    public InventoryChangeFeed(InventoryEvents events, Func<CancellationToken, Task> refresh)
    {
        _events = events;
        _refresher = new CoalescingRefresher(refresh);
        _events.HostChanged += OnHostChanged;
    }

    public async ValueTask DisposeAsync()
    {
        _events.HostChanged -= OnHostChanged;
        await _refresher.DisposeAsync();
    }

    // Called on the publisher's thread (a Hangfire worker): never block it.
    private void OnHostChanged(int hostId) => _refresher.Request();
}
