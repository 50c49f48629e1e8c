namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>A node as kubeadm names and addresses it.</summary>
/// <param name="Name">Node name (the lower-cased hostname).</param>
/// <param name="Address">Advertise address.</param>
public sealed record KubeadmNode(string Name, string Address);

