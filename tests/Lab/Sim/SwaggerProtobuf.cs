using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// A swagger 2.0 document (the subset <see cref="OpenApiV2Document"/> writes: info, definitions and their schemas)
/// in gnostic's openapi_v2.Document protobuf encoding, the form kubectl asks /openapi/v2 for
/// (<c>application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c>). Field numbers from gnostic's OpenAPIv2.proto.
/// Vendor extensions are carried as YAML text, as gnostic does (JSON is valid YAML).
/// </summary>
internal static class SwaggerProtobuf
{
    public static byte[] Encode(JsonObject swagger)
    {
        var doc = new ProtobufWriter().String(1, (string?)swagger["swagger"]);
        if (swagger["info"] is JsonObject info)
            doc.Message(2, new ProtobufWriter().String(1, (string?)info["title"]).String(2, (string?)info["version"]));
        doc.Message(8, new ProtobufWriter());
        var definitions = new ProtobufWriter();
        foreach (var (name, schema) in swagger["definitions"] as JsonObject ?? new JsonObject())
            definitions.Message(1, Named(name, Schema((JsonObject)schema!)));
        doc.Message(9, definitions);
        return doc.ToArray();
    }

    private static ProtobufWriter Schema(JsonObject s)
    {
        var w = new ProtobufWriter()
            .String(1, (string?)s["$ref"])
            .String(2, (string?)s["format"])
            .String(4, (string?)s["description"]);
        foreach (var r in s["required"] as JsonArray ?? new JsonArray()) w.String(19, (string?)r);
        if (s["additionalProperties"] is JsonObject additional)
            w.Message(21, new ProtobufWriter().Message(1, Schema(additional)));
        if (s["type"] is JsonValue type)
            w.Message(22, new ProtobufWriter().String(1, (string?)type));
        if (s["items"] is JsonObject items)
            w.Message(23, new ProtobufWriter().Message(1, Schema(items)));
        if (s["properties"] is JsonObject properties)
        {
            var p = new ProtobufWriter();
            foreach (var (name, schema) in properties) p.Message(1, Named(name, Schema((JsonObject)schema!)));
            w.Message(25, p);
        }
        foreach (var (name, value) in s.Where(kv => kv.Key.StartsWith("x-", StringComparison.Ordinal)))
            w.Message(31, new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().String(2, Yaml(value))));
        return w;
    }

    private static ProtobufWriter Named(string name, ProtobufWriter value) => new ProtobufWriter().String(1, name).Message(2, value);

    private static string Yaml(JsonNode? value) => (value?.ToJsonString() ?? "null") + "\n";
}
