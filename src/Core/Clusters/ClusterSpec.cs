namespace KubeHa.Core.Clusters;

/// <summary>
/// What the operator asked for. Stored as JSON on the cluster and frozen into each run, so a run
/// always executes the spec it was started with.
/// </summary>
public sealed record ClusterSpec
{
    public string KubernetesVersion { get; init; } = KubernetesReleases.Default;

    public EtcdTopology EtcdTopology { get; init; } = EtcdTopology.Stacked;

    public LoadBalancerMode LoadBalancerMode { get; init; } = LoadBalancerMode.KeepalivedVip;

    /// <summary>
    /// DNS name or IP of the control-plane endpoint. Empty means "derive it": the VIP in keepalived mode, 127.0.0.1 in
    /// node-local mode, the HAProxy host's address in dedicated mode (see <see cref="ControlPlaneEndpoint"/>).
    /// </summary>
    public string ControlPlaneEndpointHost { get; init; } = "";

    /// <summary>
    /// The port the load balancer listens on, which is the endpoint's port: 8443 on the VIP in seed 000, 5443 on
    /// 127.0.0.1 in seed 001, 6443 on the dedicated HAProxy host in seed 004.
    /// </summary>
    public int ControlPlaneEndpointPort { get; init; } = 6443;

    /// <summary>Port each kube-apiserver binds on its own address (the load balancer's backend port).</summary>
    public int ApiServerPort { get; init; } = 6443;

    /// <summary>Virtual IP held by keepalived on the load-balancer hosts (keepalived mode only), e.g. 192.168.56.15.</summary>
    public string? VirtualIp { get; init; }

    /// <summary>Prefix length the VIP is added with (the load-balancer hosts' subnet).</summary>
    public int VirtualIpPrefixLength { get; init; } = 24;

    /// <summary>VRRP virtual_router_id, unique on the segment (1-255).</summary>
    public int VirtualRouterId { get; init; } = 51;

    /// <summary>Extra subject alternative names on the API server certificate (the endpoint is always added).</summary>
    public IReadOnlyList<string> ApiServerCertSans { get; init; } = [];

    /// <summary>Dedicated mode only: also forward 80/443 on the HAProxy host to the ingress controller's NodePorts on the workers (seed 004).</summary>
    public IngressForwarding? IngressForwarding { get; init; }

    /// <summary>
    /// True: KubeHa turns swap off (now and in /etc/fstab) during OS preparation. False: swap is the operator's business
    /// and preflight refuses a host with swap on, before anything changes.
    /// </summary>
    public bool ManageSwap { get; init; } = true;

    /// <summary>Lifetime of the bootstrap tokens KubeHa creates (kubeadm's default is 24 h).</summary>
    public int BootstrapTokenTtlHours { get; init; } = 24;

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
