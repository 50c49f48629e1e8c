namespace KubeHa.Lab.Sim;

/// <summary>How kubeadm waits for the control plane after starting the kubelet (phases/waitcontrolplane).</summary>
internal enum ControlPlaneWait
{
    /// <summary>1.29: <c>[apiclient] All control plane components are healthy after N seconds</c>.</summary>
    ApiClient,

    /// <summary>1.30-1.32: <c>[api-check] Waiting for a healthy API server</c> (the API server's /healthz only).</summary>
    ApiCheck,

    /// <summary>
    /// 1.33 and later (WaitForAllControlPlaneComponents on by default): <c>[control-plane-check]</c> checks the
    /// kube-apiserver's /livez, the controller-manager's /healthz and the scheduler's /livez, each reported healthy.
    /// </summary>
    ControlPlaneCheck,
}

/// <summary>
/// What differs between the kubeadm minors the lab offers, in one place: the config API it writes, whether a joining
/// control plane adds its etcd member as a learner, the images it pins (constants.go DefaultEtcdVersion, CoreDNSVersion,
/// PauseVersion), the control-plane wait's wording and the kubelet instance configuration. Everything not listed here
/// is the same for every minor. Sources: kubeadm's constants.go and real `kubeadm init`/`join` output of each minor
/// (see tests/Lab/README.md, "Current releases", for which values were found and which carry the previous minor's).
/// </summary>
internal sealed record KubeadmRelease(
    int Minor,
    string ConfigApi,
    bool EtcdLearnerJoin,
    string EtcdImageTag,
    string CoreDnsTag,
    string PauseTag,
    ControlPlaneWait Wait,
    bool KubeletInstanceConfig,
    bool Etcd36Flags);

internal static class KubeadmReleases
{
    /// <summary>Oldest and newest minors of the lab's package repositories (tests/Lab/lib/khlab-apt.sh K8S_PATCHES).</summary>
    public const int OldestMinor = 28;
    public const int NewestMinor = 37;

    private static readonly KubeadmRelease[] All =
    [
        new(28, "v1beta3", EtcdLearnerJoin: false, "3.5.9-0", "v1.10.1", "3.9", ControlPlaneWait.ApiClient, KubeletInstanceConfig: false, Etcd36Flags: false),
        new(29, "v1beta3", EtcdLearnerJoin: true, "3.5.10-0", "v1.11.1", "3.9", ControlPlaneWait.ApiClient, KubeletInstanceConfig: false, Etcd36Flags: false),
        new(30, "v1beta3", EtcdLearnerJoin: true, "3.5.12-0", "v1.11.3", "3.9", ControlPlaneWait.ApiCheck, KubeletInstanceConfig: false, Etcd36Flags: false),
        new(31, "v1beta4", EtcdLearnerJoin: true, "3.5.15-0", "v1.11.3", "3.10", ControlPlaneWait.ApiCheck, KubeletInstanceConfig: false, Etcd36Flags: false),
        new(32, "v1beta4", EtcdLearnerJoin: true, "3.5.16-0", "v1.11.3", "3.10", ControlPlaneWait.ApiCheck, KubeletInstanceConfig: false, Etcd36Flags: false),
        new(33, "v1beta4", EtcdLearnerJoin: true, "3.5.21-0", "v1.12.0", "3.10", ControlPlaneWait.ControlPlaneCheck, KubeletInstanceConfig: false, Etcd36Flags: false),
        new(34, "v1beta4", EtcdLearnerJoin: true, "3.6.4-0", "v1.12.1", "3.10.1", ControlPlaneWait.ControlPlaneCheck, KubeletInstanceConfig: true, Etcd36Flags: true),
        new(35, "v1beta4", EtcdLearnerJoin: true, "3.6.6-0", "v1.13.1", "3.10.1", ControlPlaneWait.ControlPlaneCheck, KubeletInstanceConfig: true, Etcd36Flags: true),
        // 1.36 and 1.37: no constants.go of these minors was found; they carry 1.35's pins (README, known differences).
        new(36, "v1beta4", EtcdLearnerJoin: true, "3.6.6-0", "v1.13.1", "3.10.1", ControlPlaneWait.ControlPlaneCheck, KubeletInstanceConfig: true, Etcd36Flags: true),
        new(37, "v1beta4", EtcdLearnerJoin: true, "3.6.6-0", "v1.13.1", "3.10.1", ControlPlaneWait.ControlPlaneCheck, KubeletInstanceConfig: true, Etcd36Flags: true),
    ];

    /// <summary>The release of a minor; a minor outside the table behaves as the nearest one in it.</summary>
    public static KubeadmRelease For(int minor) => All[Math.Clamp(minor, OldestMinor, NewestMinor) - OldestMinor];

    /// <summary>The release of a version such as "v1.37.3".</summary>
    public static KubeadmRelease For(string version) => For(Kubeadm.Minor(version));
}
