namespace KubeHa.Core.Hosts;

/// <summary>
/// What a host check learned about a machine. Immutable: a new check produces new facts.
/// </summary>
public sealed record HostFacts
{
    public required string Hostname { get; init; }

    /// <summary>PRETTY_NAME-style description, e.g. "Debian GNU/Linux 12 (bookworm)".</summary>
    public required string OsName { get; init; }

    /// <summary>ID from os-release, e.g. "debian", "ubuntu".</summary>
    public required string OsId { get; init; }

    public required string OsVersion { get; init; }

    public required string Kernel { get; init; }

    public required string Architecture { get; init; }

    public int CpuCount { get; init; }

    public long MemoryMb { get; init; }

    public bool SwapOn { get; init; }

    public IReadOnlyList<NetworkInterfaceFact> Interfaces { get; init; } = [];

    public required string ProductUuid { get; init; }

    /// <summary>1 or 2.</summary>
    public int CgroupVersion { get; init; }

    /// <summary>Kubernetes ports found listening (subset of <see cref="KubernetesPorts.Checked"/>).</summary>
    public IReadOnlyList<int> PortsInUse { get; init; } = [];

    /// <summary>Whether sudo runs without a password prompt (false: it needs the stored password).</summary>
    public bool PasswordlessSudo { get; init; }

    public DateTimeOffset GatheredAt { get; init; }

    public IEnumerable<string> MacAddresses => Interfaces.Select(i => i.MacAddress);
}

/// <summary>A network interface with its hardware address.</summary>
public sealed record NetworkInterfaceFact(string Name, string MacAddress);
