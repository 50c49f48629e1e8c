using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Files written during OS preparation and runtime installation, rendered once and uploaded as is.</summary>
public static class NodeFiles
{
    public const string ModulesPath = "/etc/modules-load.d/kubeha-k8s.conf";
    public const string SysctlPath = "/etc/sysctl.d/99-kubeha-k8s.conf";
    public const string ContainerdPath = "/etc/containerd/config.toml";
    public const string CrioPath = "/etc/crio/crio.conf.d/10-kubeha.conf";

    public const string Modules = """
        # Managed by KubeHa.
        overlay
        br_netfilter

        """;

    public const string Sysctl = """
        # Managed by KubeHa: bridged traffic through iptables, and routing, as kubeadm requires.
        net.bridge.bridge-nf-call-iptables = 1
        net.bridge.bridge-nf-call-ip6tables = 1
        net.ipv4.ip_forward = 1

        """;

    /// <summary>Load balancers bind the VIP before they hold it (the backup has no VIP).</summary>
    public const string LoadBalancerSysctlPath = "/etc/sysctl.d/99-kubeha-lb.conf";

    public const string LoadBalancerSysctl = """
        # Managed by KubeHa: HAProxy binds the VIP on the keepalived backup too.
        net.ipv4.ip_nonlocal_bind = 1

        """;

    /// <summary>containerd 1.x config (version 2 schema, which containerd 2 migrates) with the systemd cgroup driver.</summary>
    public static string Containerd(KubernetesVersion version) => $"""
        # Managed by KubeHa.
        version = 2

        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "{ContainerRuntimes.PauseImage(version)}"

          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
            runtime_type = "io.containerd.runc.v2"

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
              SystemdCgroup = true

        """;

    /// <summary>CRI-O drop-in: the systemd cgroup manager (matching the kubelet) and kubeadm's pause image.</summary>
    public static string Crio(KubernetesVersion version) => $"""
        # Managed by KubeHa.
        [crio.runtime]
        cgroup_manager = "systemd"

        [crio.image]
        pause_image = "{ContainerRuntimes.PauseImage(version)}"

        """;
}
