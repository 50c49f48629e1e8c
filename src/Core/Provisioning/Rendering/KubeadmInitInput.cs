using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Everything the init configuration depends on.</summary>
public sealed record KubeadmInitInput(
    ClusterSpec Spec,
    ControlPlaneEndpoint Endpoint,
    KubeadmNode Node,
    string BootstrapToken,
    string CertificateKey,
    IReadOnlyList<string> ControlPlaneAddresses,
    IReadOnlyList<string> ExternalEtcdEndpoints);
