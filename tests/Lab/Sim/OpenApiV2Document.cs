using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// /openapi/v2: the swagger 2.0 document kube-apiserver serves, here its definitions only (see
/// <see cref="OpenApiV2Schemas"/>; no paths, so kubectl's client-side apply keeps computing its patches from its
/// built-in types, as it does when a real server's paths carry no PATCH content types it can use). kubectl 1.32
/// downloads it for client-side validation where server-side field validation cannot apply — a <c>kind: List</c>
/// manifest such as Weave Net's — in protobuf (<see cref="SwaggerProtobuf"/>); other clients get JSON.
/// </summary>
internal static class OpenApiV2Document
{
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>The document for the Accept header: protobuf when the client asks for it, JSON otherwise.</summary>
    public static (string ContentType, byte[] Body) For(string? accept, string gitVersion) =>
        accept is not null && accept.Contains("protobuf", StringComparison.Ordinal)
            ? (ProtobufContentType, SwaggerProtobuf.Encode(Build(gitVersion)))
            : ("application/json", System.Text.Encoding.UTF8.GetBytes(Build(gitVersion).ToJsonString()));

    /// <summary>The swagger document (definitions only).</summary>
    public static JsonObject Build(string gitVersion)
    {
        var definitions = new JsonObject { [OpenApiV2Schemas.ObjectMetaName] = OpenApiV2Schemas.ObjectMeta() };
        foreach (var r in ApiDiscovery.All)
            definitions[OpenApiV2Schemas.DefinitionName(r)] = OpenApiV2Schemas.Kind(r);
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = gitVersion },
            ["paths"] = new JsonObject(),
            ["definitions"] = definitions,
        };
    }
}
