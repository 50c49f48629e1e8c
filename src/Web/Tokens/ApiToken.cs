namespace KubeHa.Web.Tokens;

/// <summary>
/// A named API token. Only the SHA-256 hash of the token is stored; the token itself is shown once, when created.
/// Requests made with it act as its owner, with the owner's current role.
/// </summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token string.</summary>
    public required string Hash { get; set; }

    /// <summary>The first characters of the token (e.g. "kubeha_Ab3x"), so people can tell tokens apart.</summary>
    public required string Prefix { get; set; }

    public required string OwnerId { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>True for the token made from KubeHa__Bootstrap__ApiToken.</summary>
    public bool IsBootstrap { get; set; }
}
