namespace KubeHa.Core.Alerts;

/// <summary>
/// Wakes this process's delivery loop when an alert was raised here, so it goes out at once rather than at the next
/// poll (other processes' loops find it at their next poll).
/// </summary>
public sealed class AlertDeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every alert raised meanwhile.
        }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
