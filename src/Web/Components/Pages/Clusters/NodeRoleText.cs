using KubeHa.Core.Clusters;

namespace KubeHa.Web.Components.Pages.Clusters;

/// <summary>How a role is named on the pages.</summary>
public static class NodeRoleText
{
    public static string Name(NodeRole role) => role switch
    {
        NodeRole.ControlPlane => "Control plane",
        NodeRole.Worker => "Worker",
        NodeRole.Etcd => "etcd",
        _ => "Load balancer",
    };
}
