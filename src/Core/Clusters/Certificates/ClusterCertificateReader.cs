using System.Collections.Concurrent;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Provisioning;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Clusters.Certificates;

/// <summary>
/// Reads <c>kubeadm certs check-expiration</c> on every control plane of a cluster, in parallel, one SSH session per host
/// per read. Certificates change only when renewed, so a reading answers for
/// <see cref="ClusterHealthOptions.CertificateReadInterval"/> (the health monitor asks on every pass); a read with
/// <c>fresh</c> ignores it. External etcd hosts are not read: kubeadm tracks no certificate signed by an external etcd CA.
/// </summary>
public sealed class ClusterCertificateReader(
    ClusterCatalog catalog,
    IHostShellFactory shells,
    TimeProvider time,
    IOptions<ClusterHealthOptions> options)
{
    /// <summary>kubeadm reads its configuration from the cluster and the PKI from disk: as root, on a control plane.</summary>
    private const string Command = "kubeadm certs check-expiration";

    private readonly ConcurrentDictionary<int, ClusterCertificates> _recent = new();

    /// <returns>Null when the cluster does not exist.</returns>
    public async Task<ClusterCertificates?> ReadAsync(int clusterId, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _recent.TryGetValue(clusterId, out var recent) && time.GetUtcNow() - recent.ReadAt < options.Value.CertificateReadInterval)
        {
            return recent;
        }

        if (await catalog.GetAsync(clusterId, cancellationToken) is not { } cluster)
        {
            _recent.TryRemove(clusterId, out _);
            return null;
        }

        var controlPlanes = cluster.Members.Where(m => m.Is(NodeRole.ControlPlane)).ToList();
        var perHost = await Task.WhenAll(controlPlanes.Select(host => ReadHostAsync(host, cancellationToken)));
        var reading = new ClusterCertificates(
            clusterId,
            time.GetUtcNow(),
            perHost.SelectMany(r => r.Certificates).ToList(),
            perHost.Where(r => r.Error is not null).Select(r => r.Error!).ToList());
        _recent[clusterId] = reading;
        return reading;
    }

    private async Task<(IReadOnlyList<KubeadmCertificate> Certificates, string? Error)> ReadHostAsync(ClusterMember host, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.Value.CertificateReadTimeout);
        try
        {
            using var shell = await shells.OpenAsync(host, attempt.Token);
            var result = await shell.RunAsRootAsync($"kubeadm certs check-expiration", null, null, attempt.Token);
            if (!result.Succeeded)
            {
                var why = (string.IsNullOrWhiteSpace(result.ErrorTail) ? result.OutputTail : result.ErrorTail).Trim().Split('\n')[^1].Trim();
                return ([], $"{host.Name}: {Command} exited {result.ExitCode}: {why}");
            }

            var certificates = CheckExpirationOutput.Parse(result.Output, host.Name, time.GetUtcNow());
            return certificates.Count == 0
                ? ([], $"{host.Name}: {Command} listed no certificate")
                : (certificates, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ([], $"{host.Name}: no answer within {options.Value.CertificateReadTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return ([], $"{host.Name}: {ex.Message.Split('\n')[0]}");
        }
    }
}
