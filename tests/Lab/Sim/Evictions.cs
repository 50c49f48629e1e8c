using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// The pods/eviction subresource (what `kubectl drain` posts), as the real apiserver's eviction REST handler: pods that
/// are not running are evicted without a budget check; a pod covered by a PodDisruptionBudget is evicted only while
/// the budget allows a disruption, else 429 TooManyRequests with the budget's numbers; `dryRun=All` deletes nothing.
/// </summary>
internal static class Evictions
{
    public static (int Code, JsonObject Body) Evict(ClusterState st, string ns, string name, bool dryRun)
    {
        if (st.Get("", "pods", ns, name) is not { } pod)
            return (404, ApiHandler.Status(404, "NotFound", $"pods \"{name}\" not found", name, "pods"));
        var phase = pod["status"]?["phase"]?.GetValue<string>() ?? "Pending";
        if (pod["metadata"]?["deletionTimestamp"] is null && phase == "Running")
        {
            var labels = pod["metadata"]?["labels"] as JsonObject;
            var budgets = st.List("policy", "poddisruptionbudgets", ns).Select(kv => kv.Value).Where(b => Selects(b, labels)).ToList();
            if (budgets.Count > 1)
                return (500, ApiHandler.Status(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."));
            if (budgets.Count == 1)
            {
                var budget = budgets[0];
                var covered = st.List("", "pods", ns).Select(kv => kv.Value).Where(p => Selects(budget, p["metadata"]?["labels"] as JsonObject)).ToList();
                var healthy = covered.Count(Healthy);
                var desired = DesiredHealthy(budget["spec"] as JsonObject, covered.Count);
                if (healthy - desired <= 0)
                {
                    var status = ApiHandler.Status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
                    status["details"] = new JsonObject
                    {
                        ["causes"] = new JsonArray(new JsonObject
                        {
                            ["reason"] = "DisruptionBudget",
                            ["message"] = $"The disruption budget {budget["metadata"]!["name"]} needs {desired} healthy pods and has {healthy} currently",
                        }),
                    };
                    return (429, status);
                }
            }
        }

        if (!dryRun) st.Delete("", "pods", ns, name);
        return (201, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 });
    }

    private static bool Healthy(JsonObject pod) =>
        pod["status"]?["phase"]?.GetValue<string>() == "Running"
        && pod["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    /// <summary>matchLabels (and In/NotIn/Exists/DoesNotExist expressions) of the budget's selector.</summary>
    private static bool Selects(JsonObject budget, JsonObject? labels)
    {
        var selector = budget["spec"]?["selector"];
        if (selector is null) return false;
        string? Label(string k) => labels?[k]?.GetValue<string>();
        foreach (var (k, v) in selector["matchLabels"] as JsonObject ?? [])
            if (Label(k) != v?.GetValue<string>()) return false;
        foreach (var e in selector["matchExpressions"] as JsonArray ?? [])
        {
            var key = e?["key"]?.GetValue<string>() ?? "";
            var values = (e?["values"] as JsonArray ?? []).Select(x => x?.GetValue<string>()).ToList();
            var ok = e?["operator"]?.GetValue<string>() switch
            {
                "In" => values.Contains(Label(key)),
                "NotIn" => !values.Contains(Label(key)),
                "Exists" => Label(key) is not null,
                "DoesNotExist" => Label(key) is null,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>The disruption controller's desiredHealthy: minAvailable, or expected minus maxUnavailable (percentages rounded up).</summary>
    private static int DesiredHealthy(JsonObject? spec, int expected)
    {
        static int Scaled(JsonNode? v, int expected) => v?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? (int)Math.Ceiling(expected * double.Parse(v.GetValue<string>().TrimEnd('%'), CultureInfo.InvariantCulture) / 100)
            : v?.GetValue<int>() ?? 0;
        if (spec?["minAvailable"] is { } min) return Scaled(min, expected);
        if (spec?["maxUnavailable"] is { } max) return Math.Max(0, expected - Scaled(max, expected));
        return expected;
    }
}
