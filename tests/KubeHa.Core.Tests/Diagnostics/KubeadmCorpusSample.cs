namespace KubeHa.Core.Tests.Diagnostics;

/// <summary>One kubeadm output of the diagnostics corpus with what the analyzer must make of it.</summary>
/// <param name="Name">File name, used as the theory case name.</param>
/// <param name="Provenance">Where the output comes from (URL or repository and path).</param>
/// <param name="KubeadmVersion">kubeadm version, as far as it is known.</param>
/// <param name="ExpectedOutcome">"success", "failure" or "unknown".</param>
/// <param name="ExpectedCodes">Distinct finding codes expected (empty for none).</param>
/// <param name="ExpectedSeverities">Code to the severity ("error", "warning", "info") of its most severe finding, for the codes whose severity is asserted.</param>
/// <param name="ExpectedPhases">Normalised phases in order, or null when not asserted.</param>
/// <param name="ExpectedJoins">Join commands in order.</param>
/// <param name="Output">The kubeadm output itself.</param>
public sealed record KubeadmCorpusSample(
    string Name,
    string Provenance,
    string KubeadmVersion,
    string ExpectedOutcome,
    IReadOnlySet<string> ExpectedCodes,
    IReadOnlyDictionary<string, string> ExpectedSeverities,
    IReadOnlyList<string>? ExpectedPhases,
    IReadOnlyList<KubeadmCorpusJoin> ExpectedJoins,
    string Output)
{
    public override string ToString() => Name;
}
