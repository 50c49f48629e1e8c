namespace KubeHa.Core.Hosts;

/// <summary>A warning derived from gathered facts, mirroring what kubeadm's preflight would raise.</summary>
/// <param name="HostId">The host the warning concerns.</param>
/// <param name="Code">Stable code: swap-enabled, insufficient-cpu, insufficient-memory, duplicate-mac,
/// duplicate-product-uuid, duplicate-hostname, port-in-use, cgroup-v1.</param>
/// <param name="Message">One sentence an operator can act on.</param>
public sealed record FactWarning(int HostId, string Code, string Message);
