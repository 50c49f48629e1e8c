namespace KubeHa.Core.Hosts;

/// <summary>
/// Turns host facts into the warnings kubeadm's preflight would raise (seed 002: swap, 2 CPUs, 1700 MB,
/// unique MAC, product_uuid and hostname), per host and across the inventory.
/// </summary>
public static class FactWarnings
{
    public const int MinimumCpus = 2;
    public const long MinimumMemoryMb = 1700;

    /// <summary>
    /// Warnings for each host alone and for duplicates among them (naming the other hosts). Hosts without facts are
    /// ignored. A host already in a cluster is expected to listen on Kubernetes' ports, so that is not a warning for it.
    /// </summary>
    public static IReadOnlyList<FactWarning> Evaluate(IEnumerable<FactSubject> hosts)
    {
        var withFacts = hosts.Where(h => h.Facts is not null).ToList();
        var warnings = new List<FactWarning>();
        foreach (var host in withFacts)
        {
            warnings.AddRange(ForHost(host.HostId, host.Facts!).Where(w => !(host.InCluster && w.Code == "port-in-use")));
        }

        warnings.AddRange(Duplicates(withFacts, f => f.MacAddresses, "duplicate-mac", "MAC address"));
        warnings.AddRange(Duplicates(withFacts, f => [f.ProductUuid], "duplicate-product-uuid", "product_uuid"));
        warnings.AddRange(Duplicates(withFacts, f => [f.Hostname], "duplicate-hostname", "hostname"));
        return warnings;
    }

    /// <summary>Warnings that concern one host on its own.</summary>
    public static IEnumerable<FactWarning> ForHost(int hostId, HostFacts facts)
    {
        if (facts.SwapOn)
        {
            yield return new(hostId, "swap-enabled", "Swap is on: the kubelet refuses to start with swap unless configured otherwise; KubeHa turns it off during OS preparation.");
        }

        if (facts.CpuCount < MinimumCpus)
        {
            yield return new(hostId, "insufficient-cpu", $"{facts.CpuCount} CPU(s): kubeadm requires at least {MinimumCpus} on a control-plane node.");
        }

        if (facts.MemoryMb < MinimumMemoryMb)
        {
            yield return new(hostId, "insufficient-memory", $"{facts.MemoryMb} MB of memory: kubeadm requires at least {MinimumMemoryMb} MB.");
        }

        if (facts.PortsInUse.Count > 0)
        {
            yield return new(hostId, "port-in-use", $"Port(s) {string.Join(", ", facts.PortsInUse)} already in use: kubeadm preflight fails on a control-plane node.");
        }

        if (facts.CgroupVersion == 1)
        {
            yield return new(hostId, "cgroup-v1", "cgroup v1: supported, but Kubernetes 1.31+ puts cgroup v1 in maintenance mode.");
        }
    }

    private static IEnumerable<FactWarning> Duplicates(
        List<FactSubject> hosts,
        Func<HostFacts, IEnumerable<string>> values,
        string code,
        string what)
    {
        var shared = hosts
            .SelectMany(h => values(h.Facts!).Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.OrdinalIgnoreCase).Select(v => (Value: v, h.HostId, h.Name)))
            .GroupBy(x => x.Value, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Select(x => x.HostId).Distinct().Count() > 1);
        foreach (var group in shared)
        {
            var owners = group.DistinctBy(x => x.HostId).ToList();
            foreach (var owner in owners)
            {
                var others = string.Join(", ", owners.Where(o => o.HostId != owner.HostId).Select(o => o.Name).Order(StringComparer.OrdinalIgnoreCase));
                yield return new(owner.HostId, code, $"The {what} {group.Key} is also on {others}: every node needs a unique {what}.");
            }
        }
    }
}
