using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// What the controller-manager, token cleaner and kubelet status updates do, collapsed into one loop that
/// every simulated apiserver runs (idempotent, under the store lock): node Ready from kubelet heartbeats and
/// the presence of a CNI DaemonSet, pod phases, expiry of bootstrap tokens and of uploaded certificates.
/// </summary>
internal sealed class NodeLifecycle(ClusterStore store, string node)
{
    public static readonly TimeSpan HeartbeatGrace = TimeSpan.FromSeconds(6);

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(store.HeartbeatDir);
        var own = Path.Combine(store.HeartbeatDir, "apiserver-" + node);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                File.WriteAllText(own, "");
                File.SetLastWriteTimeUtc(own, DateTime.UtcNow);
                if (Reconcile(store.Read(), apply: false)) store.Update(st => Reconcile(st, apply: true));
            }
            catch (IOException) { }
            await Task.Delay(1000, ct);
        }
    }

    private bool Fresh(string name) =>
        File.Exists(Path.Combine(store.HeartbeatDir, name))
        && DateTime.UtcNow - File.GetLastWriteTimeUtc(Path.Combine(store.HeartbeatDir, name)) < HeartbeatGrace;

    private string? KubeletVersion(string name)
    {
        try
        {
            var v = File.ReadAllText(Path.Combine(store.HeartbeatDir, name)).Trim();
            return v.StartsWith('v') && v.Length > 1 ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private bool Reconcile(ClusterState st, bool apply)
    {
        var changed = false;
        var now = LabEnv.Now;
        var cni = st.List("apps", "daemonsets", null).Any(kv => !kv.Key.Contains("/kube-proxy", StringComparison.Ordinal));
        var marker = Path.Combine(store.Dir, "cni-ready");
        if (cni && !File.Exists(marker)) File.WriteAllText(marker, "");

        foreach (var (_, n) in st.List("", "nodes", null).ToList())
        {
            var name = n["metadata"]!["name"]!.GetValue<string>();
            var alive = Fresh(name);
            var (status, reason, message) = !alive
                ? ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
                : !cni
                    ? ("False", "KubeletNotReady", "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized")
                    : ("True", "KubeletReady", "kubelet is posting ready status");
            var cond = n["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready");
            // Each kubelet reports the version it runs (its heartbeat carries it), not the cluster's.
            var kubelet = alive ? KubeletVersion(name) : null;
            var versionChanged = kubelet is not null && n["status"]?["nodeInfo"]?["kubeletVersion"]?.GetValue<string>() != kubelet;
            if (cond?["status"]?.GetValue<string>() == status && !versionChanged) continue;
            changed = true;
            if (!apply) continue;
            var copy = n.DeepClone().AsObject();
            var s = copy["status"] as JsonObject ?? new JsonObject();
            copy["status"] = s;
            if (versionChanged && s["nodeInfo"] is JsonObject info) info["kubeletVersion"] = kubelet;
            var ts = ClusterStore.Now();
            s["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = status, ["reason"] = reason, ["message"] = message,
                ["lastHeartbeatTime"] = ts, ["lastTransitionTime"] = ts,
            });
            var spec = copy["spec"] as JsonObject ?? new JsonObject();
            copy["spec"] = spec;
            if (status == "True") spec.Remove("taints");
            else spec["taints"] = new JsonArray(new JsonObject
            {
                ["key"] = status == "Unknown" ? "node.kubernetes.io/unreachable" : "node.kubernetes.io/not-ready",
                ["effect"] = "NoSchedule",
            });
            st.Put("", "nodes", null, copy);
        }

        // kube-system's pods as before; any other pod bound to a node (spec.nodeName: there is no scheduler) runs
        // while that node's kubelet is alive, so PodDisruptionBudgets count it as healthy.
        foreach (var (_, p) in st.List("", "pods", null).ToList())
        {
            var name = p["metadata"]!["name"]!.GetValue<string>();
            var ns = p["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
            var host = p["spec"]?["nodeName"]?.GetValue<string>() ?? "";
            if (ns != "kube-system" && host.Length == 0) continue;
            var running = ns != "kube-system" ? Fresh(host)
                : name.StartsWith("coredns-", StringComparison.Ordinal) ? cni
                : name.StartsWith("kube-apiserver-", StringComparison.Ordinal) ? Fresh("apiserver-" + host)
                : Fresh(host);
            var phase = running ? "Running" : "Pending";
            if (p["status"]?["phase"]?.GetValue<string>() == phase) continue;
            changed = true;
            if (!apply) continue;
            var copy = p.DeepClone().AsObject();
            copy["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = running ? "True" : "False" }),
            };
            st.Put("", "pods", ns, copy);
        }

        // Token cleaner: expired bootstrap tokens disappear, with their JWS signature in cluster-info.
        foreach (var t in st.Tokens.Where(t => t.Expires is { } e && e <= now).ToList())
        {
            changed = true;
            if (!apply) continue;
            st.Tokens.Remove(t);
            st.Delete("", "secrets", "kube-system", "bootstrap-token-" + t.Id);
            if (st.Get("", "configmaps", "kube-public", "cluster-info") is { } ci)
            {
                var copy = ci.DeepClone().AsObject();
                (copy["data"] as JsonObject)?.Remove("jws-kubeconfig-" + t.Id);
                st.Put("", "configmaps", "kube-public", copy);
            }
        }
        // The kubeadm-certs Secret is owned by a 2h token: it expires with it.
        if (st.Certs is { } certs && certs.Expires <= now)
        {
            changed = true;
            if (apply)
            {
                st.Certs = null;
                st.Delete("", "secrets", "kube-system", "kubeadm-certs");
            }
        }
        return changed;
    }
}
