using k8s;
using k8s.Models;

namespace KubeHa.Core.Kubernetes;

/// <summary>The nodes and pods a watcher holds, updated by list and watch events from two tasks (hence the lock).</summary>
internal sealed class ClusterObjectsState
{
    private static readonly HashSet<string> ControlPlaneComponents = new(StringComparer.Ordinal)
    {
        "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private bool _listed;

    public void Reset(IEnumerable<V1Node> nodes, IEnumerable<V1Pod> pods)
    {
        lock (_gate)
        {
            _nodes.Clear();
            _pods.Clear();
            foreach (var node in nodes)
            {
                _nodes[node.Metadata.Name] = node;
            }

            foreach (var pod in pods)
            {
                _pods[Key(pod)] = pod;
            }

            _listed = true;
        }
    }

    /// <summary>True when the event changed what the dashboard shows.</summary>
    public bool Apply(WatchEventType type, V1Node node)
    {
        lock (_gate)
        {
            return type == WatchEventType.Deleted ? _nodes.Remove(node.Metadata.Name) : Set(_nodes, node.Metadata.Name, node);
        }
    }

    public bool Apply(WatchEventType type, V1Pod pod)
    {
        lock (_gate)
        {
            return type == WatchEventType.Deleted ? _pods.Remove(Key(pod)) : Set(_pods, Key(pod), pod);
        }
    }

    public KubernetesHealth Snapshot(Uri endpoint, string? error)
    {
        lock (_gate)
        {
            var podsPerNode = _pods.Values
                .Where(p => p.Spec?.NodeName is not null && p.Status?.Phase is not ("Succeeded" or "Failed"))
                .GroupBy(p => p.Spec.NodeName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var nodes = _nodes.Values.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
                .Select(n => ToHealth(n, podsPerNode.GetValueOrDefault(n.Metadata.Name)))
                .ToList();
            var controlPlane = _pods.Values
                .Where(p => p.Metadata.NamespaceProperty == "kube-system" && ControlPlaneComponents.Contains(Component(p)))
                .OrderBy(p => Component(p), StringComparer.Ordinal).ThenBy(p => p.Spec?.NodeName, StringComparer.Ordinal)
                .Select(ToControlPlanePod)
                .ToList();
            return new KubernetesHealth(nodes, controlPlane, endpoint, error, error is not null || !_listed);
        }
    }

    private static bool Set<T>(Dictionary<string, T> map, string key, T value)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var changed = !map.TryGetValue(key, out var old) || old.Metadata.ResourceVersion != value.Metadata.ResourceVersion || value.Metadata.ResourceVersion is null;
        map[key] = value;
        return changed;
    }

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private static string Component(V1Pod pod) =>
        pod.Metadata.Labels?.TryGetValue("component", out var component) == true ? component : pod.Metadata.Name;

    private static NodeHealth ToHealth(V1Node node, int pods)
    {
        const string rolePrefix = "node-role.kubernetes.io/";
        var conditions = (node.Status?.Conditions ?? [])
            .OrderBy(c => c.Type == "Ready" ? 0 : 1)
            .Select(c => new NodeCondition(c.Type, c.Status, c.Reason, c.Message, Utc(c.LastTransitionTime)))
            .ToList();
        var roles = (node.Metadata.Labels ?? new Dictionary<string, string>())
            .Keys.Where(k => k.StartsWith(rolePrefix, StringComparison.Ordinal))
            .Select(k => k[rolePrefix.Length..]).Where(r => r.Length > 0).Order(StringComparer.Ordinal).ToList();
        return new NodeHealth(
            node.Metadata.Name,
            conditions.Any(c => c.Type == "Ready" && c.Status == "True"),
            roles,
            node.Status?.NodeInfo?.KubeletVersion ?? string.Empty,
            node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
            conditions,
            pods,
            node.Spec?.Unschedulable == true);
    }

    private static ControlPlanePod ToControlPlanePod(V1Pod pod) => new(
        pod.Metadata.Name,
        Component(pod),
        pod.Spec?.NodeName,
        pod.Status?.Phase ?? "Unknown",
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
        pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0);

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind).ToUniversalTime()) : null;
}
