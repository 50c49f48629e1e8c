namespace KubeHa.Core.Persistence;

/// <summary>Where the catalog lives.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file in the data directory: one process (Web with its embedded agent). The default.</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL server shared by Web and any number of standalone agents (Hangfire jobs on it too).</summary>
    PostgreSql = 1,
}
