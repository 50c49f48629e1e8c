namespace KubeHa.Core.Persistence;

/// <summary>
/// Which store holds the catalog (<c>KubeHa:Database:Provider</c>) and, for PostgreSQL, the connection string
/// (<c>ConnectionStrings:KubeHa</c>, environment <c>ConnectionStrings__KubeHa</c>).
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "KubeHa:Database";

    public const string ConnectionStringName = "KubeHa";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL only; filled from <c>ConnectionStrings:KubeHa</c>. Contains a password: never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// True on PostgreSQL: several processes may run jobs at once, so runs are owned by an agent and taken over when
    /// its heartbeat stops, instead of all being marked interrupted when one process starts.
    /// </summary>
    public bool IsShared => Provider == DatabaseProvider.PostgreSql;
}
