namespace KubeHa.Core.Clusters;

/// <summary>One problem with a cluster spec, tied to the field (and host) an operator must change.</summary>
/// <param name="Field">Spec field or "hosts" / "roles", camelCase as in the JSON spec.</param>
/// <param name="Code">Stable code tests and the UI branch on, e.g. "even-control-planes".</param>
/// <param name="Message">One sentence an operator can act on.</param>
/// <param name="HostId">The host concerned, when there is one.</param>
public sealed record SpecIssue(string Field, string Code, string Message, int? HostId = null);
