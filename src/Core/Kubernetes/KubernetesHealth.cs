namespace KubeHa.Core.Kubernetes;

/// <summary>
/// What the Kubernetes API said last: nodes and control-plane pods as of <see cref="Endpoint"/>. When the API cannot be
/// reached, <see cref="Error"/> says why and the lists are the last ones known (<see cref="Stale"/>).
/// </summary>
public sealed record KubernetesHealth(
    IReadOnlyList<NodeHealth> Nodes,
    IReadOnlyList<ControlPlanePod> ControlPlanePods,
    Uri? Endpoint,
    string? Error,
    bool Stale)
{
    public static KubernetesHealth Connecting { get; } = new([], [], null, null, true);
}
