namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// In-process notification that the health monitor stored a check of a cluster (its status may have turned Degraded
/// or Healthy), so an open clusters list refreshes without waiting for its periodic reload. Subscribers must not block:
/// they are called on the monitor's thread.
/// </summary>
public sealed class ClusterHealthEvents
{
    public event Action<int>? HealthRecorded;

    public void PublishHealthRecorded(int clusterId) => HealthRecorded?.Invoke(clusterId);
}
