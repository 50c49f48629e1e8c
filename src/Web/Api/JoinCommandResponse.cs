using KubeHa.Core.Diagnostics;

namespace KubeHa.Web.Api;

/// <summary>A join command in <see cref="KubeadmDiagnosisResponse"/>; <c>kind</c> is "control-plane" or "worker".</summary>
public sealed record JoinCommandResponse(
    JoinCommandKind Kind,
    string? Endpoint,
    string? TokenId,
    bool HasCaHash,
    bool HasCertificateKey,
    string Command);
