using System.Threading.Channels;

namespace KubeHa.Web.Live;

/// <summary>
/// Runs a page's refresh soon after something changed, Aspire-dashboard style: requests are coalesced (at most one
/// refresh running and one waiting, so a burst of 20 changes causes one or two refreshes, never 20 queued ones), the
/// refresh runs on a loop owned by this object, optionally also every <c>period</c>, and disposing it ends the loops.
/// <see cref="Request"/> never blocks: publishers call it on their own threads.
/// </summary>
public sealed class CoalescingRefresher : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _refresh;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;
    private readonly Task _ticks;

    /// <param name="refresh">Reloads the page's state; a Blazor page passes <c>ct => InvokeAsync(() => ReloadAsync(ct))</c>.</param>
    /// <param name="window">How long to wait after a request for more before refreshing (zero: at once).</param>
    /// <param name="time">Clock of the window and the period.</param>
    /// <param name="period">Refresh also this often without a request (null: only on requests).</param>
    public CoalescingRefresher(Func<CancellationToken, Task> refresh, TimeSpan window = default, TimeProvider? time = null, TimeSpan? period = null)
    {
        _refresh = refresh;
        _window = window;
        _time = time ?? TimeProvider.System;
        _loop = RunAsync(_cts.Token);
        _ticks = period is { } p ? TickAsync(p, _cts.Token) : Task.CompletedTask;
    }

    /// <summary>Asks for a refresh; returns at once.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
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

    private async Task TickAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Request();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _requests.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                if (_window > TimeSpan.Zero)
                {
                    await Task.Delay(_window, _time, cancellationToken);
                }

                await _refresh(cancellationToken);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
