using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Clusters.Health;

/// <summary>How the cluster dashboard reads health (section "KubeHa:Health").</summary>
public sealed class ClusterHealthOptions
{
    public const string Section = "KubeHa:Health";

    /// <summary>How often each load-balancer host and etcd are read over SSH (nodes are watched, not polled).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a settled reading answers one-off reads (the REST API) when nobody follows the cluster live, so
    /// repeated GETs do not each open a new SSH connection per host. Zero reads afresh every time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>HAProxy's admin stats socket on the load-balancer hosts (KubeHa's HAProxy config puts it here).</summary>
    [Required]
    [RegularExpression("^/[^'\\s]*$", ErrorMessage = "An absolute path without spaces or quotes.")]
    public string StatsSocket { get; set; } = LoadBalancing.HaproxyConfigRenderer.StatsSocket;

    /// <summary>How long a reading of the control planes' certificates (kubeadm certs check-expiration) answers.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CertificateReadInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one control plane may take to answer kubeadm certs check-expiration.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CertificateReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A certificate with this many days left or fewer raises a certificate-expiring alert.</summary>
    [Range(1, 3650)]
    public int CertificateWarningDays { get; set; } = 30;

    /// <summary>A certificate with this many days left or fewer degrades the cluster and raises a critical alert.</summary>
    [Range(0, 3650)]
    public int CertificateCriticalDays { get; set; } = 7;
}
