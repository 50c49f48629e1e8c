namespace KubeHa.Core.Kubernetes;

/// <summary>A node as the Kubernetes API reports it, for the dashboard.</summary>
/// <param name="Name">metadata.name.</param>
/// <param name="Ready">The Ready condition is True.</param>
/// <param name="Roles">From the node-role.kubernetes.io/* labels ("control-plane", ...); empty for a plain worker.</param>
/// <param name="KubeletVersion">status.nodeInfo.kubeletVersion.</param>
/// <param name="InternalIp">The InternalIP address.</param>
/// <param name="Conditions">Every condition, Ready first.</param>
/// <param name="Pods">Pods bound to the node that have not finished (Pending, Running, Unknown).</param>
/// <param name="Unschedulable">spec.unschedulable (cordoned).</param>
public sealed record NodeHealth(
    string Name,
    bool Ready,
    IReadOnlyList<string> Roles,
    string KubeletVersion,
    string? InternalIp,
    IReadOnlyList<NodeCondition> Conditions,
    int Pods,
    bool Unschedulable = false)
{
    /// <summary>When the Ready condition last changed.</summary>
    public DateTimeOffset? ReadySince => Conditions.FirstOrDefault(c => c.Type == "Ready")?.LastTransition;
}
