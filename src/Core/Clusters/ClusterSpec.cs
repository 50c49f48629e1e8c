namespace KubeHa.Core.Clusters;

/// <summary>
/// What the operator asked for. Stored as JSON on the cluster and frozen into each run, so a run
/// always executes the spec it was started with.
/// </summary>
public sealed record ClusterSpec
{
    public string KubernetesVersion { get; init; } = "1.31.2";

    public EtcdTopology EtcdTopology { get; init; } = EtcdTopology.Stacked;

    public LoadBalancerMode LoadBalancerMode { get; init; } = LoadBalancerMode.KeepalivedVip;

    /// <summary>DNS name or IP of the control-plane endpoint (the VIP, 127.0.0.1, or the HAProxy host).</summary>
    public string ControlPlaneEndpointHost { get; init; } = "";

    public int ControlPlaneEndpointPort { get; init; } = 6443;

    public string PodSubnet { get; init; } = "10.244.0.0/16";

    public string ServiceSubnet { get; init; } = "10.96.0.0/12";

    public ContainerRuntime ContainerRuntime { get; init; } = ContainerRuntime.Containerd;

    public CniPlugin Cni { get; init; } = CniPlugin.Calico;
}

public enum EtcdTopology
{
    Stacked = 0,
    External = 1,
}

public enum LoadBalancerMode
{
    /// <summary>HAProxy + keepalived VIP on dedicated load-balancer hosts (seed 000).</summary>
    KeepalivedVip = 0,

    /// <summary>HAProxy on every node bound to 127.0.0.1 (seed 001).</summary>
    NodeLocal = 1,

    /// <summary>One dedicated HAProxy host without VIP (seed 004).</summary>
    DedicatedHaproxy = 2,
}

public enum ContainerRuntime
{
    Containerd = 0,
    CriO = 1,
}

public enum CniPlugin
{
    Flannel = 0,
    Calico = 1,
    Cilium = 2,
    Weave = 3,
}
