namespace KubeHa.Core.Credentials;

/// <summary>A credential as shown to operators: everything but its secrets.</summary>
public sealed record CredentialSummary(
    int Id,
    string Name,
    CredentialKind Kind,
    string? PublicKeyFingerprint,
    bool HasPassphrase,
    IReadOnlyList<string> UsedByHosts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
