using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>JSON merge patch (RFC 7386; also used for strategic-merge patches) and a small RFC 6902 subset.</summary>
internal static class JsonPatch
{
    public static JsonNode Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject po) return patch?.DeepClone()!;
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (k, v) in po.ToList())
        {
            if (k.StartsWith("$", StringComparison.Ordinal)) continue;
            if (v is null) result.Remove(k);
            else result[k] = Merge(result[k]?.DeepClone(), v);
        }
        return result;
    }

    public static JsonObject ApplyJsonPatch(JsonObject target, JsonNode ops)
    {
        foreach (var op in ops.AsArray())
        {
            var path = op!["path"]!.GetValue<string>().Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            JsonNode parent = target;
            foreach (var p in path[..^1]) parent = parent is JsonArray a ? a[int.Parse(p)]! : parent[p] ??= new JsonObject();
            var last = path[^1];
            switch (op["op"]!.GetValue<string>())
            {
                case "add" or "replace":
                    if (parent is JsonArray arr) { if (last == "-") arr.Add(op["value"]?.DeepClone()); else arr[int.Parse(last)] = op["value"]?.DeepClone(); }
                    else parent[last] = op["value"]?.DeepClone();
                    break;
                case "remove":
                    if (parent is JsonArray ra) ra.RemoveAt(int.Parse(last)); else parent.AsObject().Remove(last);
                    break;
            }
        }
        return target;
    }
}
