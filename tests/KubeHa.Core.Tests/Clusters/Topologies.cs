using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Tests.Clusters;

/// <summary>The seed topologies as specs and members, shared by validation and plan tests.</summary>
internal static class Topologies
{
    public static ClusterMember Member(int id, string address, params NodeRole[] roles) =>
        new(id, $"host{id}", address, roles.ToHashSet(), Facts(id));

    public static HostFacts Facts(int id, string? mac = null, string? uuid = null, string? hostname = null) => new()
    {
        Hostname = hostname ?? $"host{id}",
        OsName = "Debian GNU/Linux 12 (bookworm)",
        OsId = "debian",
        OsVersion = "12",
        Kernel = "6.1.0",
        Architecture = "x86_64",
        CpuCount = 2,
        MemoryMb = 2048,
        ProductUuid = uuid ?? $"uuid-{id}",
        CgroupVersion = 2,
        Interfaces = [new NetworkInterfaceFact("eth0", mac ?? $"02:00:00:00:00:{id:x2}")],
    };

    /// <summary>Seed 000: 3 control planes + 4 workers, 2 load balancers, VIP 192.168.56.15:8443.</summary>
    public static (ClusterSpec Spec, List<ClusterMember> Members) Seed000()
    {
        var spec = new ClusterSpec
        {
            KubernetesVersion = "1.29.3",
            LoadBalancerMode = LoadBalancerMode.KeepalivedVip,
            ControlPlaneEndpointHost = "api.kube.diehard.net",
            ControlPlaneEndpointPort = 8443,
            VirtualIp = "192.168.56.15",
            PodSubnet = "10.244.0.0/16",
            Cni = CniPlugin.Flannel,
        };
        List<ClusterMember> members =
        [
            Member(1, "192.168.56.20", NodeRole.ControlPlane),
            Member(2, "192.168.56.21", NodeRole.ControlPlane),
            Member(3, "192.168.56.22", NodeRole.ControlPlane),
            Member(4, "192.168.56.23", NodeRole.Worker),
            Member(5, "192.168.56.24", NodeRole.Worker),
            Member(6, "192.168.56.25", NodeRole.Worker),
            Member(7, "192.168.56.26", NodeRole.Worker),
            Member(8, "192.168.56.11", NodeRole.LoadBalancer),
            Member(9, "192.168.56.12", NodeRole.LoadBalancer),
        ];
        return (spec, members);
    }

    /// <summary>Seed 001: 3 control planes with HAProxy on every node at 127.0.0.1:5443, Flannel, one worker.</summary>
    public static (ClusterSpec Spec, List<ClusterMember> Members) Seed001()
    {
        var spec = new ClusterSpec
        {
            KubernetesVersion = "1.30.5",
            LoadBalancerMode = LoadBalancerMode.NodeLocal,
            ControlPlaneEndpointPort = 5443,
            PodSubnet = "10.244.0.0/16",
            Cni = CniPlugin.Flannel,
        };
        List<ClusterMember> members =
        [
            Member(1, "10.0.42.1", NodeRole.ControlPlane),
            Member(2, "10.0.42.2", NodeRole.ControlPlane),
            Member(3, "10.0.42.3", NodeRole.ControlPlane),
            Member(4, "10.0.42.4", NodeRole.Worker),
        ];
        return (spec, members);
    }

    /// <summary>Seed 002: external etcd, 3 etcd hosts + 3 control planes + 1 worker behind a dedicated HAProxy.</summary>
    public static (ClusterSpec Spec, List<ClusterMember> Members) Seed002()
    {
        var spec = new ClusterSpec
        {
            KubernetesVersion = "1.31.2",
            EtcdTopology = EtcdTopology.External,
            LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
            ControlPlaneEndpointPort = 6443,
            PodSubnet = "192.168.0.0/16",
            Cni = CniPlugin.Calico,
        };
        List<ClusterMember> members =
        [
            Member(1, "10.0.0.6", NodeRole.Etcd),
            Member(2, "10.0.0.7", NodeRole.Etcd),
            Member(3, "10.0.0.8", NodeRole.Etcd),
            Member(4, "10.0.0.10", NodeRole.ControlPlane),
            Member(5, "10.0.0.11", NodeRole.ControlPlane),
            Member(6, "10.0.0.12", NodeRole.ControlPlane),
            Member(7, "10.0.0.20", NodeRole.Worker),
            Member(8, "10.0.0.200", NodeRole.LoadBalancer),
        ];
        return (spec, members);
    }

    /// <summary>Seed 004 as corrected: 3 control planes + 2 workers, one dedicated HAProxy (with 80/443), CRI-O, Weave.</summary>
    public static (ClusterSpec Spec, List<ClusterMember> Members) Seed004(int controlPlanes = 3)
    {
        var spec = new ClusterSpec
        {
            KubernetesVersion = "1.31.2",
            LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
            ControlPlaneEndpointPort = 6443,
            ContainerRuntime = ContainerRuntime.CriO,
            Cni = CniPlugin.Weave,
            PodSubnet = "10.32.0.0/12",
            IngressForwarding = new IngressForwarding(32059, 32423),
        };
        var members = Enumerable.Range(0, controlPlanes).Select(i => Member(i + 1, $"10.2.47.{80 + i}", NodeRole.ControlPlane)).ToList();
        members.Add(Member(10, "10.2.47.90", NodeRole.Worker));
        members.Add(Member(11, "10.2.47.91", NodeRole.Worker));
        members.Add(Member(12, "10.2.47.84", NodeRole.LoadBalancer));
        return (spec, members);
    }
}
