namespace KubeHa.Core.Audit;

/// <summary>One recorded action: who did what to which object, when, and whether it was allowed and worked.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset Time { get; set; }

    /// <summary>User name of whoever acted (for a failed sign-in: the name that was typed).</summary>
    public required string Actor { get; set; }

    /// <summary>How the actor came in: "browser", or "token 'ci'" for API tokens.</summary>
    public string? Via { get; set; }

    /// <summary>One of <see cref="AuditActions"/>, e.g. "host.created".</summary>
    public required string Action { get; set; }

    /// <summary>The object acted on, e.g. "host 'cp-1' (#3)".</summary>
    public string? Target { get; set; }

    /// <summary>Extra facts (never a secret): the new role, the plan, why it failed.</summary>
    public string? Detail { get; set; }

    public bool Succeeded { get; set; } = true;

    public string? RemoteAddress { get; set; }
}
