using System.Text;
using k8s;

namespace KubeHa.Core.Kubernetes;

/// <summary><see cref="IClusterApi"/> with KubernetesClient; the kubeconfig's server is replaced by each endpoint in turn.</summary>
public sealed class KubernetesClusterApi : IClusterApi
{
    public async Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
                var config = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream, masterUrl: endpoint.ToString().TrimEnd('/'));
                using var client = new k8s.Kubernetes(config);
                var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
                return nodes.Items.Select(n => new NodeReadiness(
                    n.Metadata.Name,
                    n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)).ToList();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException($"No API endpoint answered ({string.Join(", ", endpoints)}): {last?.GetType().Name}.", last);
    }
}
