using KubeHa.Core.Remote;

namespace KubeHa.Core.Kubernetes;

/// <summary>kubectl on a control plane, as the cluster admin: <c>$"{Kubectl.Admin} drain {node}"</c>.</summary>
public static class Kubectl
{
    public static ShellScript Admin => $"kubectl --kubeconfig {KubeadmPaths.AdminConf}";
}
