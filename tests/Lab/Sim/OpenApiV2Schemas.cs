using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// The schemas /openapi/v2 publishes for the built-in kinds: every kind's top-level fields with their types (and the
/// required ones) as Kubernetes 1.32's swagger.json has them, and ObjectMeta field by field. Below the top level
/// (spec, status, rules...) a field is an object, array or map without further schema, so kubectl's client-side
/// validation rejects unknown or mistyped top-level and metadata fields as a real server's schema does, and accepts
/// anything deeper (a known difference, see tests/Lab/README.md).
/// </summary>
internal static class OpenApiV2Schemas
{
    public const string ObjectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static readonly string[] SpecStatus = ["spec:object", "status:object"];

    /// <summary>Top-level fields (besides apiVersion, kind, metadata) per kind: "name:type", "!" marks a required field.</summary>
    private static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        ["ConfigMap"] = ["data:map", "binaryData:map", "immutable:boolean"],
        ["Secret"] = ["data:map", "stringData:map", "type:string", "immutable:boolean"],
        ["ServiceAccount"] = ["secrets:array", "imagePullSecrets:array", "automountServiceAccountToken:boolean"],
        ["Endpoints"] = ["subsets:array"],
        ["Event"] =
        [
            "action:string", "count:integer", "eventTime:string", "firstTimestamp:string", "!involvedObject:object",
            "lastTimestamp:string", "message:string", "reason:string", "related:object", "reportingComponent:string",
            "reportingInstance:string", "series:object", "source:object", "type:string",
        ],
        ["LimitRange"] = ["spec:object"],
        ["PodTemplate"] = ["template:object"],
        ["ControllerRevision"] = ["data:object", "!revision:integer"],
        ["EndpointSlice"] = ["!addressType:string", "!endpoints:array", "ports:array"],
        ["IngressClass"] = ["spec:object"],
        ["NetworkPolicy"] = ["spec:object"],
        ["Lease"] = ["spec:object"],
        ["ClusterRole"] = ["rules:array", "aggregationRule:object"],
        ["Role"] = ["rules:array"],
        ["ClusterRoleBinding"] = ["subjects:array", "!roleRef:object"],
        ["RoleBinding"] = ["subjects:array", "!roleRef:object"],
        ["CertificateSigningRequest"] = ["!spec:object", "status:object"],
        ["CustomResourceDefinition"] = ["!spec:object", "status:object"],
        ["PriorityClass"] = ["!value:integer", "globalDefault:boolean", "description:string", "preemptionPolicy:string"],
        ["StorageClass"] =
        [
            "!provisioner:string", "parameters:map", "reclaimPolicy:string", "mountOptions:array",
            "allowVolumeExpansion:boolean", "volumeBindingMode:string", "allowedTopologies:array",
        ],
        ["CSIDriver"] = ["!spec:object"],
        ["CSINode"] = ["!spec:object"],
        ["VolumeAttachment"] = ["!spec:object", "status:object"],
        ["RuntimeClass"] = ["!handler:string", "overhead:object", "scheduling:object"],
        ["MutatingWebhookConfiguration"] = ["webhooks:array"],
        ["ValidatingWebhookConfiguration"] = ["webhooks:array"],
    };

    /// <summary>swagger.json's definition name: io.k8s.api.apps.v1.DaemonSet, io.k8s.api.core.v1.Pod...</summary>
    public static string DefinitionName(ApiDiscovery.Resource r)
    {
        var package = r.Group switch
        {
            "" => "io.k8s.api.core",
            "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
            "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
            _ => "io.k8s.api." + r.Group.Split('.')[0],
        };
        return $"{package}.{r.Version}.{r.Kind}";
    }

    /// <summary>The schema of one kind, tagged with its group-version-kind as kubectl looks resources up.</summary>
    public static JsonObject Kind(ApiDiscovery.Resource r)
    {
        var properties = new JsonObject
        {
            ["apiVersion"] = Typed("string"),
            ["kind"] = Typed("string"),
            ["metadata"] = new JsonObject { ["$ref"] = "#/definitions/" + ObjectMetaName },
        };
        var required = new JsonArray();
        foreach (var field in Fields.GetValueOrDefault(r.Kind, SpecStatus))
        {
            var (name, type) = (field.Split(':')[0], field.Split(':')[1]);
            if (name.StartsWith('!'))
            {
                name = name[1..];
                required.Add((JsonNode)name);
            }
            properties[name] = type switch
            {
                "map" => new JsonObject { ["type"] = "object", ["additionalProperties"] = Typed("string") },
                "array" => new JsonObject { ["type"] = "array", ["items"] = Typed("object") },
                _ => Typed(type),
            };
        }
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0) schema["required"] = required;
        schema["x-kubernetes-group-version-kind"] = new JsonArray(
            new JsonObject { ["group"] = r.Group, ["kind"] = r.Kind, ["version"] = r.Version });
        return schema;
    }

    /// <summary>ObjectMeta, field by field.</summary>
    public static JsonObject ObjectMeta()
    {
        JsonObject StringMap() => new() { ["type"] = "object", ["additionalProperties"] = Typed("string") };
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["annotations"] = StringMap(),
                ["creationTimestamp"] = Typed("string", "date-time"),
                ["deletionGracePeriodSeconds"] = Typed("integer", "int64"),
                ["deletionTimestamp"] = Typed("string", "date-time"),
                ["finalizers"] = new JsonObject { ["type"] = "array", ["items"] = Typed("string") },
                ["generateName"] = Typed("string"),
                ["generation"] = Typed("integer", "int64"),
                ["labels"] = StringMap(),
                ["managedFields"] = new JsonObject { ["type"] = "array", ["items"] = Typed("object") },
                ["name"] = Typed("string"),
                ["namespace"] = Typed("string"),
                ["ownerReferences"] = new JsonObject { ["type"] = "array", ["items"] = Typed("object") },
                ["resourceVersion"] = Typed("string"),
                ["selfLink"] = Typed("string"),
                ["uid"] = Typed("string"),
            },
        };
    }

    private static JsonObject Typed(string type, string? format = null)
    {
        var o = new JsonObject { ["type"] = type };
        if (format is not null) o["format"] = format;
        return o;
    }
}
