using KubeHa.Core.Credentials;

namespace KubeHa.Web.Api;

/// <summary>A credential without its secrets.</summary>
public sealed record CredentialResponse(
    int Id,
    string Name,
    CredentialKind Kind,
    string? PublicKeyFingerprint,
    bool HasPassphrase,
    IReadOnlyList<string> UsedByHosts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CredentialResponse From(CredentialSummary c)
        => new(c.Id, c.Name, c.Kind, c.PublicKeyFingerprint, c.HasPassphrase, c.UsedByHosts, c.CreatedAt, c.UpdatedAt);
}
