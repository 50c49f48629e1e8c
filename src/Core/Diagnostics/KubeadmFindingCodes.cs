namespace KubeHa.Core.Diagnostics;

/// <summary>The stable codes of <see cref="KubeadmFinding"/>. Stored in the ledger and sent to clients: never rename one.</summary>
public static class KubeadmFindingCodes
{
    public const string SwapEnabled = "swap-enabled";
    public const string PortInUse = "port-in-use";
    public const string InsufficientCpu = "insufficient-cpu";
    public const string InsufficientMemory = "insufficient-memory";
    public const string BridgeNetfilter = "bridge-netfilter";
    public const string IpForwardDisabled = "ip-forward-disabled";
    public const string ContainerRuntimeUnavailable = "container-runtime-unavailable";
    public const string MissingBinary = "missing-binary";
    public const string SystemVerification = "system-verification";
    public const string LeftoverState = "leftover-state";
    public const string ControlPlaneTimeout = "control-plane-timeout";
    public const string KubeletUnhealthy = "kubelet-unhealthy";
    public const string EndpointUnreachable = "endpoint-unreachable";
    public const string TokenInvalid = "token-invalid";
    public const string CertificateKeyExpired = "certificate-key-expired";
    public const string CertificateMismatch = "certificate-mismatch";
    public const string CertificateExpired = "certificate-expired";
    public const string CgroupDriverMismatch = "cgroup-driver-mismatch";
    public const string CgroupfsDriver = "cgroupfs-driver";
    public const string ImagePullFailed = "image-pull-failed";
    public const string SandboxImageMismatch = "sandbox-image-mismatch";
    public const string HostnameUnreachable = "hostname-unreachable";
    public const string ServiceNotEnabled = "service-not-enabled";
    public const string ProxyConfigured = "proxy-configured";
    public const string NotRoot = "not-root";
    public const string EtcdUnhealthy = "etcd-unhealthy";
    public const string PreflightCheckFailed = "preflight-check-failed";
    public const string UnrecognisedFailure = "unrecognised-failure";
}
