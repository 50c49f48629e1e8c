using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Kubernetes;

/// <summary>
/// etcdctl against one member, with the certificates kubeadm issued, written once for the verify step, the health probe
/// and day-2 work. <see cref="On"/> defines the shell function <see cref="Command"/>: etcdctl from the etcd container
/// (it ships with the etcd image and matches the server's version), else a host etcdctl, else <c>kubectl exec</c> into
/// the stacked etcd pod. Then: <c>$"{Etcdctl.On(...)}\n{Etcdctl.Command} member list"</c>.
/// </summary>
public static class Etcdctl
{
    public static ShellScript Command => $"kubeha_etcdctl";

    /// <param name="spec">Topology and container runtime.</param>
    /// <param name="memberAddress">The etcd host's address (external etcd); stacked members are reached on 127.0.0.1.</param>
    /// <param name="nodeName">The control plane's node name (for the stacked etcd pod's name), validated.</param>
    public static ShellScript On(ClusterSpec spec, string memberAddress, string nodeName)
    {
        var external = spec.EtcdTopology == EtcdTopology.External;
        var endpoint = NetworkAddress.Url("https", external ? memberAddress : ControlPlaneEndpoint.Loopback, KubernetesPorts.EtcdClient);
        var cert = external ? KubeadmPaths.EtcdHealthcheckClientCert : KubeadmPaths.EtcdServerCert;
        var key = external ? KubeadmPaths.EtcdHealthcheckClientKey : KubeadmPaths.EtcdServerKey;
        ShellScript crictl = $"crictl --runtime-endpoint {ContainerRuntimes.CriSocket(spec.ContainerRuntime)}";
        return $$"""
            c=$({{crictl}} ps -q --name etcd 2>/dev/null | head -n1)
            if [ -n "$c" ]; then kubeha_etcdctl_bin() { {{crictl}} exec "$c" etcdctl "$@"; }
            elif command -v etcdctl >/dev/null 2>&1; then kubeha_etcdctl_bin() { etcdctl "$@"; }
            else kubeha_etcdctl_bin() { {{Kubectl.Admin}} -n kube-system exec {{"etcd-" + nodeName}} -- etcdctl "$@"; }; fi
            export ETCDCTL_API=3
            kubeha_etcdctl() { kubeha_etcdctl_bin --command-timeout=3s --endpoints {{endpoint}} --cacert {{KubeadmPaths.EtcdCaCert}} --cert {{cert}} --key {{key}} "$@"; }
            """;
    }
}
