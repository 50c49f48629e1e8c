using KubeHa.Core.Diagnostics;

namespace KubeHa.Web.Api;

/// <summary>A finding in <see cref="KubeadmDiagnosisResponse"/>; <c>severity</c> is "error", "warning" or "info".</summary>
public sealed record FindingResponse(
    string Code,
    FindingSeverity Severity,
    string Message,
    string Fix,
    string Evidence,
    int Line);
