namespace KubeHa.Core.Kubernetes;

/// <summary>A kube-system pod of the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler).</summary>
/// <param name="Name">Pod name ("kube-apiserver-node1").</param>
/// <param name="Component">The component label ("kube-apiserver"), or the name when absent.</param>
/// <param name="Node">spec.nodeName.</param>
/// <param name="Phase">status.phase.</param>
/// <param name="Ready">The Ready condition is True.</param>
/// <param name="Restarts">Sum of the containers' restart counts.</param>
public sealed record ControlPlanePod(string Name, string Component, string? Node, string Phase, bool Ready, int Restarts);
