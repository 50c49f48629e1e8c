using KubeHa.Core.Clusters;

namespace KubeHa.Core.Hosts.Import;

/// <summary>One host read from an inventory, before validation.</summary>
/// <param name="Name">The inventory name (Ansible's inventory_hostname).</param>
/// <param name="Address">ansible_host, or the name when there is none.</param>
/// <param name="Port">ansible_port, 22 when unset.</param>
/// <param name="Username">ansible_user, if the inventory says.</param>
/// <param name="Groups">The groups the host is in (Ansible), as written.</param>
/// <param name="SuggestedRoles">Roles the groups suggest (Kubespray's kube_control_plane, kube_node, etcd, ...).</param>
public sealed record ImportedHost(string Name, string Address, int Port, string? Username, IReadOnlyList<string> Groups, IReadOnlyList<NodeRole> SuggestedRoles);
