using KubeHa.Core.Diagnostics;

namespace KubeHa.Web.Api;

/// <summary>JSON body of <c>POST /api/v1/diagnose/kubeadm</c>. Every string is already masked by the analyzer.</summary>
/// <param name="Outcome">success, failure or unknown.</param>
/// <param name="Phases">Normalised phase names in order of first appearance.</param>
/// <param name="JoinCommands">Join commands found.</param>
/// <param name="Findings">Findings in order of appearance.</param>
/// <param name="Truncated">True when only the last 4 Mi characters were read.</param>
public sealed record KubeadmDiagnosisResponse(
    KubeadmOutcome Outcome,
    IReadOnlyList<string> Phases,
    IReadOnlyList<JoinCommandResponse> JoinCommands,
    IReadOnlyList<FindingResponse> Findings,
    bool Truncated)
{
    public static KubeadmDiagnosisResponse From(KubeadmDiagnosis d) => new(
        d.Outcome,
        d.Phases,
        d.JoinCommands.Select(j => new JoinCommandResponse(j.Kind, j.Endpoint, j.TokenId, j.HasCaHash, j.HasCertificateKey, j.Command)).ToList(),
        d.Findings.Select(f => new FindingResponse(f.Code, f.Severity, f.Message, f.Fix, f.Evidence, f.LineNumber)).ToList(),
        d.Truncated);
}
