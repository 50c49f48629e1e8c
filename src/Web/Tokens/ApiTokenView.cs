namespace KubeHa.Web.Tokens;

/// <summary>An API token as listed: never the token itself, nor its hash.</summary>
public sealed record ApiTokenView(
    int Id,
    string Name,
    string Prefix,
    string Owner,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    bool IsBootstrap)
{
    public bool IsRevoked => RevokedAt is not null;
}
