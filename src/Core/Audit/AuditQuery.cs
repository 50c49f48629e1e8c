namespace KubeHa.Core.Audit;

/// <summary>Filters for reading the audit log; null means "any". Newest first, at most <see cref="Limit"/> entries.</summary>
public sealed record AuditQuery(
    string? Actor = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 500);
