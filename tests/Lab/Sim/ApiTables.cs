using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>meta.k8s.io/v1 Table responses (what kubectl get asks for), with the columns the real server prints.</summary>
internal static class ApiTables
{
    public static JsonObject Table(ApiDiscovery.Resource r, IEnumerable<JsonObject> items, string rv)
    {
        var (cols, cells) = r.Name switch
        {
            "nodes" => (new[] { "Name", "Status", "Roles", "Age", "Version" }, (Func<JsonObject, JsonNode?[]>)NodeCells),
            "pods" => (new[] { "Name", "Ready", "Status", "Restarts", "Age" }, PodCells),
            _ => (new[] { "Name", "Age" }, o => [Name(o), Age(o)]),
        };
        var rows = new JsonArray();
        foreach (var o in items)
        {
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray(cells(o)),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                },
            });
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv },
            ["columnDefinitions"] = new JsonArray(cols.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c, ["type"] = c == "Restarts" ? "integer" : "string", ["format"] = c == "Name" ? "name" : "",
                ["description"] = c, ["priority"] = 0,
            }).ToArray()),
            ["rows"] = rows,
        };
    }

    private static JsonNode? Name(JsonObject o) => o["metadata"]?["name"]?.DeepClone();

    private static JsonNode Age(JsonObject o)
    {
        var created = o["metadata"]?["creationTimestamp"]?.GetValue<string>();
        if (created is null || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return "<unknown>";
        var age = LabEnv.Now - t;
        return age.TotalDays >= 2 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 2 ? $"{(int)age.TotalHours}h" : age.TotalMinutes >= 2 ? $"{(int)age.TotalMinutes}m" : $"{Math.Max(0, (int)age.TotalSeconds)}s";
    }

    private static JsonNode?[] NodeCells(JsonObject o)
    {
        var ready = o["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
        var labels = o["metadata"]?["labels"] as JsonObject;
        var roles = labels?.Where(kv => kv.Key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(kv => kv.Key["node-role.kubernetes.io/".Length..]).ToList() ?? [];
        return [Name(o), ready == "True" ? "Ready" : "NotReady", roles.Count == 0 ? "<none>" : string.Join(',', roles), Age(o),
            o["status"]?["nodeInfo"]?["kubeletVersion"]?.DeepClone()];
    }

    private static JsonNode?[] PodCells(JsonObject o)
    {
        var phase = o["status"]?["phase"]?.GetValue<string>() ?? "Pending";
        return [Name(o), phase == "Running" ? "1/1" : "0/1", phase, 0, Age(o)];
    }
}
