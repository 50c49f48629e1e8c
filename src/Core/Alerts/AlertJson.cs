using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeHa.Core.Alerts;

/// <summary>How alerts are written as JSON (stored payloads and webhook bodies): camelCase, kebab enums, no nulls.</summary>
public static class AlertJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(AlertEvent alert) => JsonSerializer.Serialize(alert, Options);

    public static AlertEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<AlertEvent>(json, Options) ?? throw new JsonException("An alert payload is empty.");
}
