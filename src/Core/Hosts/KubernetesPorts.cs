namespace KubeHa.Core.Hosts;

/// <summary>Ports kubeadm's preflight requires free on a control-plane node (seed 002, "Check required ports").</summary>
public static class KubernetesPorts
{
    public const int ApiServer = 6443;
    public const int EtcdClient = 2379;
    public const int EtcdPeer = 2380;
    public const int Kubelet = 10250;
    public const int ControllerManager = 10257;
    public const int Scheduler = 10259;

    public static IReadOnlyList<int> Checked { get; } = [ApiServer, EtcdClient, EtcdPeer, Kubelet, ControllerManager, Scheduler];
}
