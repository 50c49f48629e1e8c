namespace KubeHa.Core.Kubernetes;

/// <summary>Where kubeadm keeps what KubeHa reads and points tools at, on every node (kubeadm's defaults).</summary>
public static class KubeadmPaths
{
    public const string AdminConf = "/etc/kubernetes/admin.conf";
    public const string KubeletConf = "/etc/kubernetes/kubelet.conf";
    public const string CaCert = "/etc/kubernetes/pki/ca.crt";
    public const string ApiServerCert = "/etc/kubernetes/pki/apiserver.crt";
    public const string EtcdCaCert = "/etc/kubernetes/pki/etcd/ca.crt";
    public const string EtcdServerCert = "/etc/kubernetes/pki/etcd/server.crt";
    public const string EtcdServerKey = "/etc/kubernetes/pki/etcd/server.key";
    public const string EtcdHealthcheckClientCert = "/etc/kubernetes/pki/etcd/healthcheck-client.crt";
    public const string EtcdHealthcheckClientKey = "/etc/kubernetes/pki/etcd/healthcheck-client.key";
}
