namespace KubeHa.Core.Alerts;

/// <summary>The etcd backup an alert is about.</summary>
/// <param name="Id">The backup's id when one was recorded (a failed snapshot may have none).</param>
/// <param name="CreatedAt">When it was taken.</param>
/// <param name="LastProvenAt">When the newest backup of the cluster was last proven restorable, if ever.</param>
/// <param name="Error">What failed: the snapshot, the copy, or the restore test.</param>
public sealed record AlertBackup(long? Id, DateTimeOffset? CreatedAt, DateTimeOffset? LastProvenAt, string? Error);
