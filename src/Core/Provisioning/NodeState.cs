namespace KubeHa.Core.Provisioning;

/// <summary>
/// What provisioning has already done on a host, gathered at the start of every attempt (<see cref="NodeStateScript"/>).
/// Steps decide from it, never from what a previous attempt assumed. Immutable.
/// </summary>
public sealed record NodeState
{
    /// <summary>A host on which nothing was done yet; also what a dry run assumes.</summary>
    public static NodeState Fresh { get; } = new();

    public bool SwapActive { get; init; }

    public bool SwapInFstab { get; init; }

    public bool ModulesLoaded { get; init; }

    public bool SysctlApplied { get; init; }

    public bool ContainerdInstalled { get; init; }

    public bool ContainerdSystemdCgroup { get; init; }

    public bool CrioInstalled { get; init; }

    public bool CrioSystemdCgroup { get; init; }

    /// <summary>"v1.31.2" or null.</summary>
    public string? KubeadmVersion { get; init; }

    public string? KubeletVersion { get; init; }

    /// <summary>kubelet, kubeadm and kubectl are all held (apt-mark hold).</summary>
    public bool KubePackagesHeld { get; init; }

    public bool HaproxyInstalled { get; init; }

    public bool KeepalivedInstalled { get; init; }

    /// <summary>/etc/kubernetes/admin.conf exists: kubeadm init (or a control-plane join) ran here.</summary>
    public bool HasAdminConf { get; init; }

    /// <summary>/etc/kubernetes/kubelet.conf exists: this host is a node of a cluster.</summary>
    public bool HasKubeletConf { get; init; }

    /// <summary>/etc/kubernetes/manifests/etcd.yaml exists.</summary>
    public bool HasEtcdManifest { get; init; }

    /// <summary>/etc/kubernetes/pki/etcd/ca.crt exists.</summary>
    public bool HasEtcdCa { get; init; }

    /// <summary>Completion markers on the host (<see cref="StepMarkers.Fact"/>: "ID/KEY"), whatever cluster they belong to.</summary>
    public IReadOnlySet<string> CompletedSteps { get; init; } = new HashSet<string>();

    /// <summary>"apt", "dnf" or "none".</summary>
    public string PackageManager { get; init; } = "apt";

    /// <summary>IPv4 addresses with their interface, e.g. ("eth1", "192.168.56.11/24").</summary>
    public IReadOnlyList<InterfaceAddress> Addresses { get; init; } = [];
}

/// <summary>An IPv4 address in CIDR form on an interface.</summary>
public sealed record InterfaceAddress(string Interface, string Cidr);
