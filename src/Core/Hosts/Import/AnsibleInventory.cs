using KubeHa.Core.Clusters;

namespace KubeHa.Core.Hosts.Import;

/// <summary>
/// An Ansible inventory as read from INI or YAML: hosts with their variables, groups with their hosts, children and
/// variables. <see cref="Resolve"/> applies the variables (host over group over <c>all</c>) and Kubespray's group names.
/// </summary>
internal sealed class AnsibleInventory
{
    private readonly List<string> _hostOrder = [];
    private readonly Dictionary<string, Dictionary<string, string>> _hostVars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _groupHosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _groupChildren = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _groupVars = new(StringComparer.Ordinal);

    public void AddHost(string group, string host, IEnumerable<KeyValuePair<string, string>> vars)
    {
        if (!_hostVars.TryGetValue(host, out var known))
        {
            _hostOrder.Add(host);
            _hostVars[host] = known = new(StringComparer.Ordinal);
        }

        foreach (var (key, value) in vars)
        {
            known[key] = value;
        }

        Members(_groupHosts, group).Add(host);
    }

    public void AddChild(string group, string child) => Members(_groupChildren, group).Add(child);

    public void AddGroupVar(string group, string key, string value)
    {
        if (!_groupVars.TryGetValue(group, out var vars))
        {
            _groupVars[group] = vars = new(StringComparer.Ordinal);
        }

        vars[key] = value;
    }

    /// <summary>Every host in order of first appearance, with ansible_host/port/user applied; bad ports are reported.</summary>
    public List<ImportedHost> Resolve(List<string> errors)
    {
        var result = new List<ImportedHost>();
        foreach (var host in _hostOrder)
        {
            var groups = GroupsOf(host);
            var vars = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in groups.Prepend("all").Where(_groupVars.ContainsKey))
            {
                foreach (var (key, value) in _groupVars[group])
                {
                    vars[key] = value;
                }
            }

            foreach (var (key, value) in _hostVars[host])
            {
                vars[key] = value;
            }

            var port = 22;
            if (vars.TryGetValue("ansible_port", out var portText) && !int.TryParse(portText, out port))
            {
                errors.Add($"{host}: ansible_port '{portText}' is not a number.");
                continue;
            }

            var shown = groups.Where(g => g is not "all" and not "ungrouped").ToList();
            result.Add(new ImportedHost(
                host,
                vars.GetValueOrDefault("ansible_host") ?? host,
                port,
                vars.GetValueOrDefault("ansible_user"),
                shown,
                SuggestedRoles(shown)));
        }

        return result;
    }

    /// <summary>Kubespray's groups (and the common older names) as KubeHa roles.</summary>
    public static IReadOnlyList<NodeRole> SuggestedRoles(IEnumerable<string> groups)
    {
        var roles = new SortedSet<NodeRole>();
        foreach (var group in groups.Select(g => g.ToLowerInvariant().Replace('-', '_')))
        {
            switch (group)
            {
                case "kube_control_plane" or "kube_master" or "masters" or "master" or "control_plane" or "controlplane" or "control_planes":
                    roles.Add(NodeRole.ControlPlane);
                    break;
                case "kube_node" or "workers" or "worker" or "nodes" or "node":
                    roles.Add(NodeRole.Worker);
                    break;
                case "etcd":
                    roles.Add(NodeRole.Etcd);
                    break;
                case "haproxy" or "loadbalancer" or "loadbalancers" or "load_balancer" or "load_balancers" or "lb":
                    roles.Add(NodeRole.LoadBalancer);
                    break;
            }
        }

        return [.. roles];
    }

    /// <summary>The groups holding the host directly and every group above those through children.</summary>
    private List<string> GroupsOf(string host)
    {
        var found = new List<string>();
        var queue = new Queue<string>(_groupHosts.Where(g => g.Value.Contains(host)).Select(g => g.Key));
        while (queue.TryDequeue(out var group))
        {
            if (found.Contains(group))
            {
                continue;
            }

            found.Add(group);
            foreach (var parent in _groupChildren.Where(g => g.Value.Contains(group)).Select(g => g.Key))
            {
                queue.Enqueue(parent);
            }
        }

        return found;
    }

    private static HashSet<string> Members(Dictionary<string, HashSet<string>> map, string group)
    {
        if (!map.TryGetValue(group, out var members))
        {
            map[group] = members = new(StringComparer.Ordinal);
        }

        return members;
    }
}
