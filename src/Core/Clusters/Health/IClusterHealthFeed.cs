namespace KubeHa.Core.Clusters.Health;

/// <summary>A cluster's live health (see <see cref="ClusterHealthFeed"/>).</summary>
public interface IClusterHealthFeed
{
    /// <summary>A snapshot at once, then one on every change, until cancelled; nothing when the cluster does not exist.</summary>
    IAsyncEnumerable<ClusterHealthSnapshot> WatchAsync(int clusterId, CancellationToken cancellationToken);

    /// <summary>The first settled snapshot, or the latest after <paramref name="timeout"/>; null when the cluster does not exist.</summary>
    Task<ClusterHealthSnapshot?> ReadAsync(int clusterId, TimeSpan timeout, CancellationToken cancellationToken);
}
