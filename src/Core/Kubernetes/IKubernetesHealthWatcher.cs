namespace KubeHa.Core.Kubernetes;

/// <summary>Nodes and control-plane pods of a cluster, followed by watching the API (not polling).</summary>
public interface IKubernetesHealthWatcher
{
    /// <summary>
    /// Lists, then watches nodes and pods through the first of <paramref name="endpoints"/> that answers (failover to the
    /// next one when it stops answering), and yields a new <see cref="KubernetesHealth"/> on every change. Slow readers
    /// get the latest state, never a backlog. Ends only when cancelled.
    /// </summary>
    IAsyncEnumerable<KubernetesHealth> WatchAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken);
}
