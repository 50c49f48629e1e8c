using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>The objects kubeadm creates in a cluster (namespaces, ConfigMaps, the Node, static and addon Pods).</summary>
internal static class ClusterObjects
{
    public static JsonObject Meta(string name, string? ns = null, JsonObject? labels = null)
    {
        var m = new JsonObject { ["name"] = name };
        if (ns is not null) m["namespace"] = ns;
        if (labels is not null) m["labels"] = labels;
        return new JsonObject { ["metadata"] = m };
    }

    public static void Namespaces(ClusterState st)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            if (st.Get("", "namespaces", null, ns) is null)
            {
                var o = Meta(ns);
                o["apiVersion"] = "v1"; o["kind"] = "Namespace";
                o["status"] = new JsonObject { ["phase"] = "Active" };
                st.Put("", "namespaces", null, o);
            }
    }

    public static void ConfigMap(ClusterState st, string ns, string name, Dictionary<string, string> data)
    {
        var o = Meta(name, ns);
        o["apiVersion"] = "v1"; o["kind"] = "ConfigMap";
        o["data"] = new JsonObject(data.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value)));
        st.Put("", "configmaps", ns, o);
    }

    /// <summary>Detached JWS (HS256) over the cluster-info kubeconfig, keyed by the bootstrap token secret.</summary>
    public static string Jws(string kubeconfig, string tokenId, string tokenSecret)
    {
        static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64Url(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"kid\":\"{tokenId}\"}}"));
        var payload = B64Url(Encoding.UTF8.GetBytes(kubeconfig));
        var sig = B64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(tokenSecret), Encoding.UTF8.GetBytes(header + "." + payload)));
        return header + ".." + sig;
    }

    public static void AddToken(ClusterState st, BootstrapToken t)
    {
        st.Tokens.RemoveAll(x => x.Id == t.Id);
        st.Tokens.Add(t);
        var secret = Meta("bootstrap-token-" + t.Id, "kube-system");
        secret["apiVersion"] = "v1"; secret["kind"] = "Secret";
        secret["type"] = "bootstrap.kubernetes.io/token";
        var data = new JsonObject
        {
            ["token-id"] = B64(t.Id), ["token-secret"] = B64(t.Secret),
            ["usage-bootstrap-authentication"] = B64("true"), ["usage-bootstrap-signing"] = B64("true"),
            ["auth-extra-groups"] = B64(t.Groups),
        };
        if (t.Expires is { } e) data["expiration"] = B64(e.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"));
        secret["data"] = data;
        st.Put("", "secrets", "kube-system", secret);
        if (st.Get("", "configmaps", "kube-public", "cluster-info") is { } ci)
        {
            var copy = ci.DeepClone().AsObject();
            var kc = copy["data"]!["kubeconfig"]!.GetValue<string>();
            copy["data"]!["jws-kubeconfig-" + t.Id] = Jws(kc, t.Id, t.Secret);
            st.Put("", "configmaps", "kube-public", copy);
        }
    }

    public static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    public static void Node(ClusterState st, string name, string ip, string version, bool controlPlane)
    {
        var labels = new JsonObject
        {
            ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux", ["beta.kubernetes.io/arch"] = "amd64",
        };
        if (controlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
        }
        var n = Meta(name, null, labels);
        n["apiVersion"] = "v1"; n["kind"] = "Node";
        var taints = new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" });
        if (controlPlane) taints.Add(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" });
        n["spec"] = new JsonObject { ["taints"] = taints };
        var now = ClusterStore.Now();
        n["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "False", ["reason"] = "KubeletNotReady",
                ["message"] = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
                ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
            }),
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = ip }, new JsonObject { ["type"] = "Hostname", ["address"] = name }),
            ["nodeInfo"] = new JsonObject
            {
                ["kubeletVersion"] = version, ["kubeProxyVersion"] = version, ["operatingSystem"] = "linux", ["architecture"] = "amd64",
                ["osImage"] = "Debian GNU/Linux 12 (bookworm)", ["containerRuntimeVersion"] = "containerd://1.7.0",
                ["machineID"] = name, ["systemUUID"] = name,
            },
        };
        st.Put("", "nodes", null, n);
        var proxy = Pod(st, "kube-proxy-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5], name, "kube-proxy");
        // kube-proxy's pods belong to its DaemonSet (kubectl drain skips them with --ignore-daemonsets).
        var ds = KubeProxyDaemonSet(st);
        proxy["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "DaemonSet", ["name"] = "kube-proxy", ["uid"] = ds["metadata"]!["uid"]!.DeepClone(),
            ["controller"] = true, ["blockOwnerDeletion"] = true,
        });
        st.Put("", "pods", "kube-system", proxy);
        if (controlPlane)
        {
            foreach (var c in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd" })
            {
                // The API's copy of a static pod is a mirror pod (kubectl drain leaves those alone).
                var mirror = Pod(st, $"{c}-{name}", name, c);
                mirror["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) };
                st.Put("", "pods", "kube-system", mirror);
            }
            if (!st.ControlPlanes.Contains(name)) st.ControlPlanes.Add(name);
        }
    }

    public static JsonObject Pod(ClusterState st, string name, string node, string component)
    {
        var p = Meta(name, "kube-system", new JsonObject { ["component"] = component, ["k8s-app"] = component });
        p["apiVersion"] = "v1"; p["kind"] = "Pod";
        p["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = component, ["image"] = "registry.k8s.io/" + component }) };
        p["status"] = new JsonObject { ["phase"] = "Pending" };
        return st.Put("", "pods", "kube-system", p);
    }

    /// <summary>kubeadm's kube-proxy addon DaemonSet (created once).</summary>
    private static JsonObject KubeProxyDaemonSet(ClusterState st)
    {
        if (st.Get("apps", "daemonsets", "kube-system", "kube-proxy") is { } existing) return existing;
        var ds = Meta("kube-proxy", "kube-system", new JsonObject { ["k8s-app"] = "kube-proxy" });
        ds["apiVersion"] = "apps/v1"; ds["kind"] = "DaemonSet";
        ds["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = "kube-proxy" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["k8s-app"] = "kube-proxy" } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "kube-proxy", ["image"] = "registry.k8s.io/kube-proxy" }) },
            },
        };
        return st.Put("apps", "daemonsets", "kube-system", ds);
    }
}
