using System.Threading.Channels;
using KubeHa.Core.Hosts;

namespace KubeHa.Web.Live;

/// <summary>
/// Turns <see cref="InventoryEvents"/> into refreshes of one page, Aspire-dashboard style: events are coalesced
/// (a burst of 20 finished checks causes one or two reloads, never 20 queued ones), the refresh runs on a loop
/// owned by this feed, and disposing it unsubscribes and cancels the loop.
/// </summary>
public sealed class InventoryChangeFeed : IAsyncDisposable
{
    private readonly InventoryEvents _events;
    private readonly Func<CancellationToken, Task> _refresh;
    private readonly Channel<int> _changes = Channel.CreateBounded<int>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;

    /// <param name="events">The inventory's event source.</param>
    /// <param name="refresh">Reloads the page's state; a Blazor page passes <c>ct => InvokeAsync(() => ReloadAsync(ct))</c>.</param>
    public InventoryChangeFeed(InventoryEvents events, Func<CancellationToken, Task> refresh)
    {
        _events = events;
        _refresh = refresh;
        _events.HostChanged += OnHostChanged;
        _loop = RunAsync(_cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _events.HostChanged -= OnHostChanged;
        _changes.Writer.TryComplete();
        await _cts.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _cts.Dispose();
    }

    // Called on the publisher's thread (a Hangfire worker): never block it.
    private void OnHostChanged(int hostId) => _changes.Writer.TryWrite(hostId);

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
