using KubeHa.Core.Alerts;
using KubeHa.Core.Clusters.Health;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Clusters.Certificates;

/// <summary>
/// What the control planes' certificates mean for a cluster's health, on each health-monitor pass: a certificate with
/// <see cref="ClusterHealthOptions.CertificateWarningDays"/> or fewer days left raises a certificate-expiring alert; with
/// <see cref="ClusterHealthOptions.CertificateCriticalDays"/> or fewer (or expired) it also degrades the cluster, with the
/// host, the certificate and the days left in the reason. Alerts are deduplicated by the outbox (per certificate,
/// threshold and expiry), so each pass may raise them again without repeating a delivery.
/// </summary>
public sealed class CertificateHealth(ClusterCertificateReader reader, AlertRaiser alerts, IOptions<ClusterHealthOptions> options, TimeProvider time)
{
    /// <returns>The degradations (critical certificates) and every certificate past the warning threshold.</returns>
    public async Task<CertificateCheck> CheckAsync(MonitoredCluster cluster, CancellationToken cancellationToken)
    {
        if (await reader.ReadAsync(cluster.Id, fresh: false, cancellationToken) is not { } reading)
        {
            return new CertificateCheck([], []);
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var reasons = new List<string>();
        var expiring = new List<KubeadmCertificate>();
        foreach (var certificate in reading.Certificates)
        {
            // The host's residual days at the reading, less the whole days since (readings are cached).
            var days = certificate.ResidualDays - (int)Math.Floor((now - reading.ReadAt).TotalDays);
            if (days > settings.CertificateWarningDays)
            {
                continue;
            }

            var critical = days <= settings.CertificateCriticalDays;
            expiring.Add(certificate with { ResidualDays = days });
            if (critical)
            {
                reasons.Add(days < 0
                    ? $"{certificate.Host}: certificate {certificate.Name} expired {certificate.ExpiresAt:yyyy-MM-dd HH:mm} UTC"
                    : $"{certificate.Host}: certificate {certificate.Name} expires in {days} day(s)");
            }

            await alerts.RaiseAsync(
                AlertEvent.CertificateThreshold(
                    new AlertCluster(cluster.Id, cluster.Name),
                    new AlertCertificate(certificate.Host, certificate.Name, certificate.ExpiresAt, days,
                        critical ? settings.CertificateCriticalDays : settings.CertificateWarningDays, certificate.Authority),
                    critical,
                    now),
                cancellationToken);
        }

        return new CertificateCheck(reasons, expiring);
    }
}

/// <summary>One certificate check of a cluster.</summary>
/// <param name="Degradations">"node1: certificate apiserver expires in 5 day(s)", one per critical certificate.</param>
/// <param name="Expiring">Every certificate at or under the warning threshold, with its days left now.</param>
public sealed record CertificateCheck(IReadOnlyList<string> Degradations, IReadOnlyList<KubeadmCertificate> Expiring);
