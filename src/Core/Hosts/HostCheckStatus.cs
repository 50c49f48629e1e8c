namespace KubeHa.Core.Hosts;

/// <summary>State of the latest SSH check of a host.</summary>
public enum HostCheckStatus
{
    NeverChecked = 0,
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
}
