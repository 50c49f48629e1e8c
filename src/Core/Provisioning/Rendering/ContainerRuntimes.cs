using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Runtime-specific facts kubeadm and the kubelet need.</summary>
public static class ContainerRuntimes
{
    public static string CriSocket(ContainerRuntime runtime) => runtime == ContainerRuntime.CriO
        ? "unix:///var/run/crio/crio.sock"
        : "unix:///var/run/containerd/containerd.sock";

    public static string ServiceName(ContainerRuntime runtime) => runtime == ContainerRuntime.CriO ? "crio" : "containerd";

    /// <summary>
    /// The pause image kubeadm of that minor release expects (kubeadm config images list; constants.PauseVersion):
    /// 3.9 up to 1.30, 3.10 for 1.31-1.33, 3.10.1 from 1.34. Another sandbox image makes kubeadm's preflight warn that
    /// the runtime's sandbox image is inconsistent with kubeadm's.
    /// </summary>
    public static string PauseImage(KubernetesVersion version) => version.Minor switch
    {
        >= 34 => "registry.k8s.io/pause:3.10.1",
        >= 31 => "registry.k8s.io/pause:3.10",
        _ => "registry.k8s.io/pause:3.9",
    };
}
