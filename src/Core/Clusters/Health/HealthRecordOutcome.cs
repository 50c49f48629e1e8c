namespace KubeHa.Core.Clusters.Health;

/// <summary>What storing one health check did.</summary>
/// <param name="Recorded">False when a run holds the cluster or left it in another status (its status wins), or the cluster is gone.</param>
/// <param name="Previous">The stored status before (when recorded).</param>
/// <param name="Current">The stored status after (when recorded): Healthy or Degraded.</param>
/// <param name="Reasons">The degradations stored (empty when healthy).</param>
public sealed record HealthRecordOutcome(bool Recorded, ClusterStatus Previous, ClusterStatus Current, IReadOnlyList<string> Reasons)
{
    public static HealthRecordOutcome NotRecorded { get; } = new(false, ClusterStatus.Draft, ClusterStatus.Draft, []);

    /// <summary>Healthy turned Degraded.</summary>
    public bool TurnedDegraded => Recorded && Previous == ClusterStatus.Healthy && Current == ClusterStatus.Degraded;

    /// <summary>Degraded turned Healthy.</summary>
    public bool Recovered => Recorded && Previous == ClusterStatus.Degraded && Current == ClusterStatus.Healthy;
}
