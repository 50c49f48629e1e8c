namespace KubeHa.Core.Kubernetes;

/// <summary>KubeHa's own view of a cluster through the Kubernetes API (not through a node's shell).</summary>
public interface IClusterApi
{
    /// <summary>
    /// Lists nodes with the admin kubeconfig, trying <paramref name="endpoints"/> in order (failover): the endpoint, or
    /// in node-local mode each control plane's own address.
    /// </summary>
    Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken);
}
