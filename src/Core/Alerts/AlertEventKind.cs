namespace KubeHa.Core.Alerts;

/// <summary>
/// What happened. Stable: stored in channel subscriptions and deliveries, and sent to receivers as lower-case kebab
/// strings (<c>run-failed</c>, <c>cluster-degraded</c>, ...). Add new kinds at the end.
/// </summary>
public enum AlertEventKind
{
    /// <summary>A run ended Failed (cancelled and interrupted runs are not failures).</summary>
    RunFailed = 0,

    RunSucceeded = 1,

    /// <summary>The health monitor stored Healthy → Degraded.</summary>
    ClusterDegraded = 2,

    /// <summary>The health monitor stored Degraded → Healthy.</summary>
    ClusterRecovered = 3,

    /// <summary>An agent's heartbeat went stale without a clean stop.</summary>
    AgentOffline = 4,

    /// <summary>An agent reported offline heartbeats again.</summary>
    AgentOnline = 5,

    /// <summary>A certificate crossed the warning threshold (residual days).</summary>
    CertificateExpiring = 6,

    /// <summary>A certificate crossed the critical threshold, where the cluster counts as degraded.</summary>
    CertificateCritical = 7,

    /// <summary>An etcd backup run or scheduled backup failed.</summary>
    BackupFailed = 8,

    /// <summary>A backup could not be proven restorable, or the last proven backup is too old.</summary>
    BackupNotProven = 9,

    /// <summary>A test message an administrator sent to one channel; not subscribable.</summary>
    Test = 10,
}
