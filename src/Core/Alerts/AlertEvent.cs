using System.Text.Json.Serialization;
using KubeHa.Core.Runs;

namespace KubeHa.Core.Alerts;

/// <summary>
/// One thing that happened, as every channel receives it: the JSON webhook body is this record (camelCase, enums as
/// kebab strings, absent parts left out), plus <c>url</c> when a panel URL is configured. Raise one with
/// <see cref="AlertRaiser.RaiseAsync"/> (or <see cref="AlertOutbox.EnqueueAsync"/> inside your own transaction), built
/// with the factory for its kind below, so that every raiser fills the same fields.
/// </summary>
public sealed record AlertEvent
{
    /// <summary>Stable per event, the same in every channel's delivery and every retry: receivers deduplicate on it.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    public required AlertEventKind Event { get; init; }

    public required AlertSeverity Severity { get; init; }

    /// <summary>One line an operator reads first (the e-mail subject, the chat message's first line).</summary>
    public required string Summary { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public AlertCluster? Cluster { get; init; }

    public AlertRun? Run { get; init; }

    public AlertAgent? Agent { get; init; }

    public AlertCertificate? Certificate { get; init; }

    public AlertBackup? Backup { get; init; }

    /// <summary>Why (a degradation's reasons), one item per reason.</summary>
    public IReadOnlyList<string>? Reasons { get; init; }

    /// <summary>
    /// Not sent. When set, a channel that already got an alert with this key within <see cref="DeduplicationWindow"/>
    /// does not get this one: a checker may raise on every pass (e.g. a certificate under its threshold) and each
    /// channel hears about it once per window.
    /// </summary>
    [JsonIgnore]
    public string? DeduplicationKey { get; init; }

    [JsonIgnore]
    public TimeSpan DeduplicationWindow { get; init; } = TimeSpan.FromDays(1);

    public static AlertEvent RunFinished(AlertCluster cluster, AlertRun run, DateTimeOffset at) => run.Status == RunStatus.Succeeded
        ? new()
        {
            Event = AlertEventKind.RunSucceeded, Severity = AlertSeverity.Info, OccurredAt = at, Cluster = cluster, Run = run,
            Summary = $"Run #{run.Id} ({run.Plan}) of cluster {cluster.Name} succeeded",
        }
        : new()
        {
            Event = AlertEventKind.RunFailed, Severity = AlertSeverity.Warning, OccurredAt = at, Cluster = cluster, Run = run,
            Summary = $"Run #{run.Id} ({run.Plan}) of cluster {cluster.Name} failed" + (run.FailedStep is { } step ? $" at \"{step}\"" : ""),
        };

    public static AlertEvent ClusterDegraded(AlertCluster cluster, IReadOnlyList<string> reasons, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.ClusterDegraded, Severity = AlertSeverity.Warning, OccurredAt = at, Cluster = cluster, Reasons = reasons,
        Summary = $"Cluster {cluster.Name} is degraded" + (reasons.Count > 0 ? $": {reasons[0]}" + (reasons.Count > 1 ? $" (+{reasons.Count - 1} more)" : "") : ""),
    };

    public static AlertEvent ClusterRecovered(AlertCluster cluster, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.ClusterRecovered, Severity = AlertSeverity.Info, OccurredAt = at, Cluster = cluster,
        Summary = $"Cluster {cluster.Name} recovered: healthy again",
    };

    public static AlertEvent AgentOffline(AlertAgent agent, TimeSpan staleAfter, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.AgentOffline, Severity = AlertSeverity.Warning, OccurredAt = at, Agent = agent,
        Summary = $"Agent {agent.Name} on {agent.Machine} is offline: no heartbeat for more than {staleAfter.TotalSeconds:0} s",
    };

    public static AlertEvent AgentOnline(AlertAgent agent, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.AgentOnline, Severity = AlertSeverity.Info, OccurredAt = at, Agent = agent,
        Summary = $"Agent {agent.Name} on {agent.Machine} is back online",
    };

    /// <summary>
    /// A certificate under a threshold: <paramref name="critical"/> for the degrade threshold, else the warning one.
    /// Raise it on every check: it is sent once a day per certificate, threshold and channel.
    /// </summary>
    public static AlertEvent CertificateThreshold(AlertCluster cluster, AlertCertificate certificate, bool critical, DateTimeOffset at) => new()
    {
        Event = critical ? AlertEventKind.CertificateCritical : AlertEventKind.CertificateExpiring,
        Severity = critical ? AlertSeverity.Critical : AlertSeverity.Warning,
        OccurredAt = at, Cluster = cluster, Certificate = certificate,
        Summary = $"Certificate {certificate.Name} on {certificate.Host} (cluster {cluster.Name}) expires in {certificate.ResidualDays} day(s), at {certificate.ExpiresAt:yyyy-MM-dd HH:mm} UTC",
        DeduplicationKey = $"certificate:{cluster.Id}:{certificate.Host}:{certificate.Name}:{(critical ? "critical" : "warning")}:{certificate.ExpiresAt.ToUnixTimeSeconds()}",
    };

    public static AlertEvent BackupFailed(AlertCluster cluster, AlertBackup backup, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.BackupFailed, Severity = AlertSeverity.Warning, OccurredAt = at, Cluster = cluster, Backup = backup,
        Summary = $"etcd backup of cluster {cluster.Name} failed" + (backup.Error is { } e ? $": {e}" : ""),
    };

    /// <summary>A backup that did not restore in the throwaway etcd, or no proven backup recent enough; sent once a day per cluster.</summary>
    public static AlertEvent BackupNotProven(AlertCluster cluster, AlertBackup backup, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.BackupNotProven, Severity = AlertSeverity.Warning, OccurredAt = at, Cluster = cluster, Backup = backup,
        Summary = $"etcd backup of cluster {cluster.Name} is not proven restorable" + (backup.Error is { } e ? $": {e}" : ""),
        DeduplicationKey = $"backup-not-proven:{cluster.Id}:{backup.Id}",
    };

    public static AlertEvent Test(string channelName, string? requestedBy, DateTimeOffset at) => new()
    {
        Event = AlertEventKind.Test, Severity = AlertSeverity.Info, OccurredAt = at,
        Summary = $"Test message for alert channel {channelName}" + (requestedBy is null ? "" : $", sent by {requestedBy}"),
    };
}
