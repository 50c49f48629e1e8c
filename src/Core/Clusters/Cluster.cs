namespace KubeHa.Core.Clusters;

/// <summary>A Kubernetes cluster KubeHa builds and manages.</summary>
public sealed class Cluster
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required ClusterSpec Spec { get; set; }

    public ClusterStatus Status { get; set; }

    public List<ClusterNode> Nodes { get; set; } = [];

    /// <summary>Encrypted admin kubeconfig, once provisioning fetched it.</summary>
    public string? ProtectedKubeconfig { get; set; }

    /// <summary>Id of the run currently holding the cluster; the compare-and-swap target for "one active run per cluster".</summary>
    public long? ActiveRunId { get; set; }

    /// <summary>Network zone the cluster is pinned to: its runs and host checks run only on agents serving it. Null: any agent ("default" queue).</summary>
    public string? Zone { get; set; }

    /// <summary>Encrypted bootstrap token KubeHa generated for joins ([a-z0-9]{6}.[a-z0-9]{16}).</summary>
    public string? ProtectedBootstrapToken { get; set; }

    public DateTimeOffset? BootstrapTokenExpiresAt { get; set; }

    /// <summary>Encrypted certificate key of the last control-plane certificate upload (kubeadm-certs secret).</summary>
    public string? ProtectedCertificateKey { get; set; }

    /// <summary>When the certificates were last uploaded; kubeadm deletes them two hours later.</summary>
    public DateTimeOffset? CertificatesUploadedAt { get; set; }

    /// <summary>"sha256:..." of the cluster CA's public key, computed from /etc/kubernetes/pki/ca.crt. Not secret.</summary>
    public string? CaCertHash { get; set; }

    /// <summary>
    /// Why the health monitor last found the cluster degraded, one phrase per line ("node2 NotReady"); null when it
    /// found nothing wrong or has not checked yet. Written with <see cref="Status"/> by <see cref="Health.ClusterHealthRecorder"/>.
    /// </summary>
    public string? HealthReasons { get; set; }

    /// <summary>When the health monitor last stored a check of this cluster; null: never.</summary>
    public DateTimeOffset? HealthCheckedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
