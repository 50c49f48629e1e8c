using System.Text.RegularExpressions;
using static KubeHa.Core.Diagnostics.KubeadmFindingCodes;

namespace KubeHa.Core.Diagnostics;

/// <summary>Recognises one logical line: a preflight check result or a known error message, and says which code it is.</summary>
internal static partial class KubeadmFindingMatcher
{
    private const int TimeoutMs = 2000;

    private sealed record TextRule(string Code, Regex Pattern);

    // Order matters: the first rule that matches a line wins (etcd before certificate download, image pulls and the
    // kubelet's own health endpoint before the generic "connection refused" of endpoint-unreachable...).
    private static readonly TextRule[] TextRules =
    [
        new(CgroupDriverMismatch, CgroupDriverMismatchRegex()),
        new(ImagePullFailed, ImagePullRegex()),
        new(KubeletUnhealthy, KubeletUnhealthyRegex()),
        new(ControlPlaneTimeout, ControlPlaneTimeoutRegex()),
        new(TokenInvalid, TokenInvalidRegex()),
        new(EtcdUnhealthy, EtcdRegex()),
        new(CertificateKeyExpired, CertificateKeyRegex()),
        new(CertificateMismatch, CertificateMismatchRegex()),
        new(CertificateExpired, CertificateExpiredRegex()),
        new(SwapEnabled, SwapRegex()),
        new(ContainerRuntimeUnavailable, RuntimeRegex()),
        new(MissingBinary, MissingBinaryRegex()),
        new(BridgeNetfilter, BridgeRegex()),
        new(IpForwardDisabled, IpForwardRegex()),
        new(InsufficientCpu, CpuRegex()),
        new(InsufficientMemory, MemoryRegex()),
        new(LeftoverState, LeftoverRegex()),
        new(PortInUse, PortRegex()),
        new(SystemVerification, SystemVerificationRegex()),
        new(SandboxImageMismatch, SandboxRegex()),
        new(HostnameUnreachable, HostnameRegex()),
        new(CgroupfsDriver, CgroupfsRegex()),
        new(EndpointUnreachable, EndpointRegex()),
    ];

    /// <summary>The code and severity of <paramref name="line"/>, or null when it means nothing in particular.</summary>
    /// <param name="line">The logical line.</param>
    /// <param name="waitingForControlPlane">True once the wait-control-plane phase started (init), so a kubelet-check
    /// timeout means the control plane did not come up rather than a joining kubelet failing its TLS bootstrap.</param>
    public static (string Code, FindingSeverity Severity)? Match(KubeadmLine line, bool waitingForControlPlane)
    {
        var text = line.Text;
        var preflight = PreflightRegex().Match(text);
        if (preflight.Success)
        {
            var severity = preflight.Groups["kind"].Value == "ERROR" ? FindingSeverity.Error : FindingSeverity.Warning;
            var check = preflight.Groups["check"].Value;
            var code = CodeOfCheck(check, severity);
            if (code == PreflightCheckFailed && MatchText(preflight.Groups["msg"].Value, waitingForControlPlane) is { } better)
            {
                code = better;
            }

            return (code, severity);
        }

        var textCode = MatchText(text, waitingForControlPlane);
        if (textCode is null)
        {
            return null;
        }

        return (textCode, SeverityOf(line, textCode));
    }

    private static string? MatchText(string text, bool waitingForControlPlane)
    {
        foreach (var rule in TextRules)
        {
            if (rule.Pattern.IsMatch(text))
            {
                if (rule.Code == ControlPlaneTimeout && !waitingForControlPlane && text.Contains("Initial timeout", StringComparison.Ordinal))
                {
                    return KubeletUnhealthy; // kubeadm join: the kubelet never finished its TLS bootstrap
                }

                return rule.Code;
            }
        }

        return null;
    }

    private static FindingSeverity SeverityOf(KubeadmLine line, string code)
    {
        switch (line.KlogLevel)
        {
            case 'I':
                return FindingSeverity.Info;
            case 'W':
                return FindingSeverity.Warning;
            case 'E' or 'F':
                return FindingSeverity.Error;
        }

        if (line.Text.Contains("] WARNING", StringComparison.Ordinal) || line.Text.StartsWith("WARNING", StringComparison.Ordinal))
        {
            return FindingSeverity.Warning;
        }

        return KubeadmFindingCatalog.Get(code).DefaultSeverity;
    }

    private static string CodeOfCheck(string check, FindingSeverity severity)
    {
        if (check.StartsWith("Port-", StringComparison.Ordinal))
        {
            return PortInUse;
        }

        if (check.StartsWith("FileAvailable--", StringComparison.Ordinal) || check.StartsWith("DirAvailable--", StringComparison.Ordinal))
        {
            return LeftoverState;
        }

        if (check.StartsWith("FileExisting-", StringComparison.Ordinal))
        {
            return MissingBinary;
        }

        if (check.StartsWith("FileContent--proc-sys-net-bridge", StringComparison.Ordinal))
        {
            return BridgeNetfilter;
        }

        if (check.StartsWith("FileContent--proc-sys-net-ipv", StringComparison.Ordinal) && check.Contains("forward", StringComparison.Ordinal))
        {
            return IpForwardDisabled;
        }

        return check switch
        {
            "Swap" => SwapEnabled,
            "NumCPU" => InsufficientCpu,
            "Mem" => InsufficientMemory,
            "CRI" or "IsCRISocketValid" => ContainerRuntimeUnavailable,
            "Service-Docker" or "Service-Containerd" or "Service-Crio" when severity == FindingSeverity.Error => ContainerRuntimeUnavailable,
            "Service-Docker" or "Service-Containerd" or "Service-Crio" or "Service-Kubelet" => ServiceNotEnabled,
            "SystemVerification" => SystemVerification,
            "ImagePull" => ImagePullFailed,
            "Hostname" => HostnameUnreachable,
            "IsDockerSystemdCheck" => CgroupfsDriver,
            "HTTPProxy" or "HTTPProxyCIDR" => ProxyConfigured,
            "IsPrivilegedUser" => NotRoot,
            "ExternalEtcdVersion" => EndpointUnreachable,
            _ => PreflightCheckFailed,
        };
    }

    [GeneratedRegex(@"^\[(?<kind>ERROR|WARNING) (?<check>[^\]\s]{1,120})\]:?\s*(?<msg>.*)$", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PreflightRegex();

    [GeneratedRegex(@"cgroup driver: ""?\w+""? is different from|misconfiguration: kubelet cgroup driver", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CgroupDriverMismatchRegex();

    [GeneratedRegex(@"failed to pull (?:and unpack )?image|ErrImagePull|ImagePullBackOff|pull access denied", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex ImagePullRegex();

    [GeneratedRegex(@"kubelet isn't running or healthy|The kubelet is not healthy after|\[kubelet-check\].{0,200}failed with error|error execution phase kubelet-start|error uploading crisocket", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex KubeletUnhealthyRegex();

    [GeneratedRegex(@"Initial timeout of \d+s passed|API server is not healthy after|is not healthy after \d|error execution phase wait-control-plane|could(?:n't| not) initialize a Kubernetes cluster|\[control-plane-check\].{0,200}(?:not healthy|timed out)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex ControlPlaneTimeoutRegex();

    [GeneratedRegex(@"JWS signature|JWS signed token|is invalid for this cluster or it has expired|token id ""?[a-z0-9]{0,16}""? is invalid|bootstrap token.{0,60}(?:expired|not found)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex TokenInvalidRegex();

    [GeneratedRegex(@"etcdserver: |error execution phase (?:control-plane-join/etcd|check-etcd)|etcd cluster is not healthy|etcd member.{0,80}(?:failed|unhealthy)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex EtcdRegex();

    [GeneratedRegex(@"""?kubeadm-certs""? (?:was not found|is forbidden)|This Secret might have expired|error decoding (?:secret data|certificate key)|message authentication failed|error downloading certs", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CertificateKeyRegex();

    [GeneratedRegex(@"are pinned|certificate signed by unknown authority|x509: certificate is valid for|failed to parse cluster CA|cluster CA found in cluster-info ConfigMap is invalid|can't trust this API Server", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CertificateMismatchRegex();

    [GeneratedRegex(@"x509: certificate has expired or is not yet valid", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CertificateExpiredRegex();

    [GeneratedRegex(@"running with swap on is not supported|swap is enabled|swap is supported for cgroup v2 only|please disable swap", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex SwapRegex();

    [GeneratedRegex(@"container runtime is not running|unknown service runtime\.v1|failed to create new CRI (?:runtime|image) service|validate CRI v1 runtime API|Cannot connect to the Docker daemon|(?:containerd|crio|cri-dockerd|docker)\.sock: connect: (?:no such file|connection refused|permission denied)|docker service is not active|Couldn't create the interface used for talking to the container runtime", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex RuntimeRegex();

    [GeneratedRegex(@"not found in system path|executable file not found in \$PATH", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex MissingBinaryRegex();

    [GeneratedRegex(@"bridge-nf-call-ip6?tables(?: does not exist| contents are not set|: No such file)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex BridgeRegex();

    [GeneratedRegex(@"ip_forward contents are not set|/proc/sys/net/ipv[46]/(?:ip_forward|conf/\w+/forwarding) (?:contents|does not)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex IpForwardRegex();

    [GeneratedRegex(@"number of available CPUs \d+ is less than", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CpuRegex();

    [GeneratedRegex(@"system RAM \(\d+ ?MB\) is less than", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex MemoryRegex();

    [GeneratedRegex(@"/etc/kubernetes/\S{1,200} already exists|/var/lib/etcd\S{0,100} is not empty|/etc/kubernetes/manifests is not empty", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex LeftoverRegex();

    [GeneratedRegex(@"Port \d{1,5} is in use|bind: address already in use", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PortRegex();

    [GeneratedRegex(@"missing required cgroups|unsupported (?:docker|kernel|graph driver) version|failed to parse kernel config|kernel release \S{1,80} is not supported|\[ERROR SystemVerification\]", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex SystemVerificationRegex();

    [GeneratedRegex(@"sandbox image .{1,200} is inconsistent with that used by kubeadm", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex SandboxRegex();

    [GeneratedRegex(@"hostname ""[^""]{1,253}"" could not be reached", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex HostnameRegex();

    [GeneratedRegex(@"detected ""cgroupfs"" as the (?:Docker )?cgroup driver", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CgroupfsRegex();

    [GeneratedRegex(@"dial tcp \S{1,300}: (?:connect: )?(?:connection refused|i/o timeout|no route to host|network is unreachable)|Client\.Timeout exceeded|request canceled while waiting for connection|couldn't validate the identity of the API Server|unable to fetch the kubeadm-config ConfigMap|Failed to connect to API Server|TLS handshake timeout", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex EndpointRegex();
}
