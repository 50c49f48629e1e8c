namespace KubeHa.Core.Clusters;

public enum ClusterStatus
{
    Draft = 0,
    Provisioning = 1,
    Healthy = 2,
    Degraded = 3,
    Failed = 4,
    Resetting = 5,
}
