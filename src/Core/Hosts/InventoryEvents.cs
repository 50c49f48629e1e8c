namespace KubeHa.Core.Hosts;

/// <summary>
/// In-process notifications about inventory changes (a check started, finished, a host edited), so open pages
/// refresh without polling. Subscribers must not block: they are called on the publisher's thread.
/// </summary>
public sealed class InventoryEvents
{
    public event Action<int>? HostChanged;

    public void PublishHostChanged(int hostId) => HostChanged?.Invoke(hostId);
}
