using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KubeHa.Core.Persistence;

/// <summary>Maps a value object to a JSON text column (enums as strings, camelCase), compared by content.</summary>
internal static class JsonColumn
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static ValueConverter<T, string> Converter<T>()
        where T : class
        => new(v => Serialize(v), s => Deserialize<T>(s));

    public static ValueComparer<T> Comparer<T>()
        where T : class
        => new(
            (a, b) => Serialize(a) == Serialize(b),
            v => Serialize(v).GetHashCode(StringComparison.Ordinal),
            v => Deserialize<T>(Serialize(v)));

    private static string Serialize<T>(T? value) => JsonSerializer.Serialize(value, Options);

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
