using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>The resources the simulated apiserver knows, and the discovery documents describing them.</summary>
internal static class ApiDiscovery
{
    public sealed record Resource(string Group, string Version, string Name, string Kind, bool Namespaced, string[] ShortNames);

    public static readonly Resource[] All =
    [
        new("", "v1", "nodes", "Node", false, ["no"]),
        new("", "v1", "namespaces", "Namespace", false, ["ns"]),
        new("", "v1", "pods", "Pod", true, ["po"]),
        new("", "v1", "configmaps", "ConfigMap", true, ["cm"]),
        new("", "v1", "secrets", "Secret", true, []),
        new("", "v1", "services", "Service", true, ["svc"]),
        new("", "v1", "serviceaccounts", "ServiceAccount", true, ["sa"]),
        new("", "v1", "endpoints", "Endpoints", true, ["ep"]),
        new("", "v1", "events", "Event", true, ["ev"]),
        new("apps", "v1", "daemonsets", "DaemonSet", true, ["ds"]),
        new("apps", "v1", "deployments", "Deployment", true, ["deploy"]),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, []),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, []),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, []),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, []),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, ["crd", "crds"]),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, ["pdb"]),
        new("coordination.k8s.io", "v1", "leases", "Lease", true, []),
    ];

    public static Resource? Find(string group, string version, string name) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Name == name);

    public static string ApiVersion(Resource r) => r.Group.Length == 0 ? r.Version : r.Group + "/" + r.Version;

    public static JsonObject Versions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var g in All.Where(r => r.Group.Length > 0).Select(r => (r.Group, r.Version)).Distinct())
        {
            var gv = new JsonObject { ["groupVersion"] = g.Group + "/" + g.Version, ["version"] = g.Version };
            groups.Add(new JsonObject
            {
                ["name"] = g.Group,
                ["versions"] = new JsonArray(gv.DeepClone()),
                ["preferredVersion"] = gv,
            });
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? ResourceList(string group, string version)
    {
        var rs = All.Where(r => r.Group == group && r.Version == version).ToList();
        if (rs.Count == 0) return null;
        var arr = new JsonArray();
        foreach (var r in rs)
        {
            var verbs = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
            var o = new JsonObject
            {
                ["name"] = r.Name,
                ["singularName"] = r.Kind.ToLowerInvariant(),
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = verbs,
            };
            if (r.ShortNames.Length > 0) o["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s).ToArray());
            arr.Add(o);
            if (r.Name is "nodes" or "pods" or "namespaces" or "daemonsets" or "deployments")
            {
                arr.Add(new JsonObject
                {
                    ["name"] = r.Name + "/status", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = r.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            // kubectl drain looks for this subresource (policy/v1 Eviction) before it evicts.
            if (r.Name == "pods")
            {
                arr.Add(new JsonObject
                {
                    ["name"] = "pods/eviction", ["singularName"] = "", ["namespaced"] = true, ["group"] = "policy", ["version"] = "v1",
                    ["kind"] = "Eviction", ["verbs"] = new JsonArray("create"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = arr,
        };
    }

    /// <summary>OpenAPI v3 discovery: one document per group-version (kubectl checks PATCH supports fieldValidation).</summary>
    public static JsonObject OpenApiV3Index()
    {
        var paths = new JsonObject();
        foreach (var gv in All.Select(r => r.Group.Length == 0 ? "api/" + r.Version : $"apis/{r.Group}/{r.Version}").Distinct())
            paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash=0000000000000000" };
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? OpenApiV3(string gvPath)
    {
        var rs = All.Where(r => (r.Group.Length == 0 ? "api/" + r.Version : $"apis/{r.Group}/{r.Version}") == gvPath).ToList();
        if (rs.Count == 0) return null;
        var paths = new JsonObject();
        foreach (var r in rs)
        {
            var prefix = "/" + gvPath + (r.Namespaced ? "/namespaces/{namespace}/" : "/") + r.Name + "/{name}";
            var gvk = new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind };
            JsonArray Params() => new(
                new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } });
            paths[prefix] = new JsonObject
            {
                ["patch"] = new JsonObject { ["x-kubernetes-group-version-kind"] = gvk.DeepClone(), ["x-kubernetes-action"] = "patch", ["parameters"] = Params() },
                ["put"] = new JsonObject { ["x-kubernetes-group-version-kind"] = gvk.DeepClone(), ["x-kubernetes-action"] = "put", ["parameters"] = Params() },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }
}
