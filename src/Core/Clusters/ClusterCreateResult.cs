namespace KubeHa.Core.Clusters;

/// <summary>
/// Outcome of validating or creating a cluster: the new id on success, otherwise the errors, each tied to the field
/// (<c>name</c>, a <see cref="ClusterSpec"/> field in camelCase, <c>hosts</c> or <c>roles</c>) and host it concerns.
/// Warnings never block.
/// </summary>
public sealed record ClusterCreateResult(int? ClusterId, IReadOnlyList<SpecIssue> Errors, IReadOnlyList<SpecIssue> Warnings)
{
    public bool Succeeded => ClusterId is not null && Errors.Count == 0;

    /// <summary>Messages per field, the shape form validation wants.</summary>
    public IReadOnlyDictionary<string, string[]> ErrorsByField =>
        Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
