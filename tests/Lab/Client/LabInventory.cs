using System.Text.Json;

namespace KubeHa.Lab;

/// <summary>The inventory JSON printed by `lab up N` and `lab inventory`.</summary>
public sealed record LabInventory(
    string Bridge,
    string Gateway,
    string Subnet,
    string VipRange,
    string StateDir,
    IReadOnlyList<LabHost> Hosts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public LabHost this[string name] => Hosts.Single(h => h.Name == name);

    public static LabInventory Parse(string json) =>
        JsonSerializer.Deserialize<LabInventory>(json, Json) ?? throw new FormatException("empty lab inventory");
}
