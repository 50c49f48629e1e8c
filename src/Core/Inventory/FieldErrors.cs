namespace KubeHa.Core.Inventory;

/// <summary>Collects the first validation message per field.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message) => _errors.TryAdd(field, message);

    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>(_errors, StringComparer.Ordinal);
}
