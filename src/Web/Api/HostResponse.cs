using KubeHa.Core.Hosts;

namespace KubeHa.Web.Api;

/// <summary>A host with its last check, pinned host key, facts and warnings.</summary>
public sealed record HostResponse(
    int Id,
    string Name,
    string Address,
    int Port,
    string Username,
    int CredentialId,
    string CredentialName,
    HostCheckStatus CheckStatus,
    HostCheckErrorKind? CheckErrorKind,
    string? CheckError,
    DateTimeOffset? CheckedAt,
    HostKeyResponse? HostKey,
    HostFacts? Facts,
    string? ClusterName,
    IReadOnlyList<HostWarningResponse> Warnings)
{
    public static HostResponse From(HostView h) => new(
        h.Id, h.Name, h.Address, h.Port, h.Username, h.CredentialId, h.CredentialName,
        h.CheckStatus, h.CheckErrorKind, h.CheckError, h.CheckedAt,
        h.HostKeyFingerprint is null ? null : new HostKeyResponse(h.HostKeyAlgorithm, h.HostKeyFingerprint, h.HostKeyPinnedAt),
        h.Facts, h.ClusterName,
        h.Warnings.Select(w => new HostWarningResponse(w.Code, w.Message)).ToList());
}

/// <summary>The SSH host key pinned on first contact.</summary>
public sealed record HostKeyResponse(string? Algorithm, string Fingerprint, DateTimeOffset? PinnedAt)
{
    /// <summary>True while the key was only recorded (first contact with a password) and no operator approved it.</summary>
    public bool AwaitsApproval => PinnedAt is null;
}

public sealed record HostWarningResponse(string Code, string Message);
