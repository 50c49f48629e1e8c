using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Runtime-specific facts kubeadm and the kubelet need.</summary>
public static class ContainerRuntimes
{
    public static string CriSocket(ContainerRuntime runtime) => runtime == ContainerRuntime.CriO
        ? "unix:///var/run/crio/crio.sock"
        : "unix:///var/run/containerd/containerd.sock";

    public static string ServiceName(ContainerRuntime runtime) => runtime == ContainerRuntime.CriO ? "crio" : "containerd";

    /// <summary>The pause image kubeadm of that minor release expects (kubeadm config images list).</summary>
    public static string PauseImage(KubernetesVersion version) =>
        version.Minor >= 31 ? "registry.k8s.io/pause:3.10" : "registry.k8s.io/pause:3.9";
}
