namespace KubeHa.Core.Alerts;

/// <summary>The alert kinds a channel can subscribe to, with what an administrator reads about each.</summary>
public static class AlertEventKinds
{
    /// <summary>Every kind except <see cref="AlertEventKind.Test"/>, in the order the admin page lists them.</summary>
    public static IReadOnlyList<AlertEventKind> Subscribable { get; } =
        Enum.GetValues<AlertEventKind>().Where(k => k != AlertEventKind.Test).ToArray();

    /// <summary>The kind as receivers and the API see it: <c>run-failed</c>.</summary>
    public static string Name(AlertEventKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public static string Describe(AlertEventKind kind) => kind switch
    {
        AlertEventKind.RunFailed => "Run failed",
        AlertEventKind.RunSucceeded => "Run succeeded",
        AlertEventKind.ClusterDegraded => "Cluster degraded",
        AlertEventKind.ClusterRecovered => "Cluster recovered",
        AlertEventKind.AgentOffline => "Agent offline",
        AlertEventKind.AgentOnline => "Agent back online",
        AlertEventKind.CertificateExpiring => "Certificate expiring (warning threshold)",
        AlertEventKind.CertificateCritical => "Certificate expiring (critical threshold)",
        AlertEventKind.BackupFailed => "Backup failed",
        AlertEventKind.BackupNotProven => "Backup not proven restorable",
        AlertEventKind.Test => "Test message",
        _ => kind.ToString(),
    };
}
