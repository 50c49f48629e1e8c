namespace KubeHa.Core.Clusters;

/// <summary>Errors refuse the spec; warnings are shown and accepted.</summary>
public sealed record SpecValidationResult(IReadOnlyList<SpecIssue> Errors, IReadOnlyList<SpecIssue> Warnings)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Errors grouped by field, the shape form validation wants.</summary>
    public IReadOnlyDictionary<string, string[]> ErrorsByField =>
        Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
