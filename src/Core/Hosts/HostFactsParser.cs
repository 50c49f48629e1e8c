using System.Globalization;

namespace KubeHa.Core.Hosts;

/// <summary>Turns the tagged output of <see cref="HostFactsScript"/> into <see cref="HostFacts"/>. Pure; tolerant of odd input.</summary>
public static class HostFactsParser
{
    /// <exception cref="FormatException">The output is truncated (no end marker).</exception>
    public static HostFacts Parse(string output, bool passwordlessSudo, DateTimeOffset gatheredAt)
    {
        var sections = Split(output);
        if (!sections.ContainsKey("end"))
        {
            throw new FormatException("The facts output is incomplete (no end marker).");
        }

        var osRelease = ParseOsRelease(Section(sections, "os-release"));
        return new HostFacts
        {
            Hostname = FirstLine(Section(sections, "hostname")),
            OsName = osRelease.GetValueOrDefault("PRETTY_NAME") ?? osRelease.GetValueOrDefault("NAME") ?? "unknown",
            OsId = osRelease.GetValueOrDefault("ID") ?? "unknown",
            OsVersion = osRelease.GetValueOrDefault("VERSION_ID") ?? string.Empty,
            Kernel = FirstLine(Section(sections, "kernel")),
            Architecture = FirstLine(Section(sections, "arch")),
            CpuCount = int.TryParse(FirstLine(Section(sections, "nproc")), NumberStyles.Integer, CultureInfo.InvariantCulture, out var cpus) ? cpus : 0,
            MemoryMb = ParseMemTotalMb(Section(sections, "meminfo")),
            SwapOn = ParseSwapOn(Section(sections, "swaps")),
            Interfaces = ParseInterfaces(Section(sections, "net")),
            ProductUuid = FirstLine(Section(sections, "product-uuid")).ToLowerInvariant(),
            CgroupVersion = FirstLine(Section(sections, "cgroup-fs")) == "cgroup2fs" ? 2 : 1,
            PortsInUse = sections.TryGetValue("ss", out var ss)
                ? Checked(ParseSsListeningPorts(ss))
                : Checked(ParseProcNetTcpListeningPorts(Section(sections, "proc-net-tcp"))),
            PasswordlessSudo = passwordlessSudo,
            GatheredAt = gatheredAt,
        };
    }

    internal static Dictionary<string, List<string>> Split(string output)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(HostFactsScript.Marker, StringComparison.Ordinal))
            {
                current = [];
                sections[line[HostFactsScript.Marker.Length..].Trim()] = current;
            }
            else if (current is not null && line.Length > 0)
            {
                current.Add(line);
            }
        }

        return sections;
    }

    private static List<string> Section(Dictionary<string, List<string>> sections, string name) =>
        sections.TryGetValue(name, out var lines) ? lines : [];

    private static string FirstLine(List<string> lines) => lines.Count > 0 ? lines[0].Trim() : string.Empty;

    internal static Dictionary<string, string> ParseOsRelease(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            }

            values[line[..eq].Trim()] = value;
        }

        return values;
    }

    internal static long ParseMemTotalMb(IEnumerable<string> lines)
    {
        // "MemTotal:        8131528 kB"
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "MemTotal:" &&
                long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
            {
                return kb / 1024;
            }
        }

        return 0;
    }

    /// <summary>Swap is on when /proc/swaps lists any entry after its header line.</summary>
    internal static bool ParseSwapOn(IEnumerable<string> lines) =>
        lines.Where(l => !string.IsNullOrWhiteSpace(l)).Any(l => !l.StartsWith("Filename", StringComparison.Ordinal));

    internal static IReadOnlyList<NetworkInterfaceFact> ParseInterfaces(IEnumerable<string> lines)
    {
        var interfaces = new List<NetworkInterfaceFact>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[0] == "lo")
            {
                continue;
            }

            var mac = parts[1].Trim().ToLowerInvariant();
            var octets = mac.Split(':');
            if (octets.Length != 6 || octets.Any(o => o.Length != 2 || !byte.TryParse(o, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _)) ||
                octets.All(o => o == "00"))
            {
                continue;
            }

            interfaces.Add(new NetworkInterfaceFact(parts[0], mac));
        }

        return interfaces;
    }

    /// <summary>Local ports of <c>ss -Hltn</c> lines ("LISTEN 0 4096 0.0.0.0:6443 0.0.0.0:*", "[::]:10250", "*:22", "127.0.0.1%lo:53").</summary>
    internal static IEnumerable<int> ParseSsListeningPorts(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

            // With -H there is no header; State Recv-Q Send-Q Local Peer. Tolerate a header or a missing State column.
            var local = parts.Length >= 5 ? parts[3] : parts.Length == 4 ? parts[2] : null;
            if (local is null)
            {
                continue;
            }

            var colon = local.LastIndexOf(':');
            if (colon >= 0 && int.TryParse(local[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port))
            {
                yield return port;
            }
        }
    }

    /// <summary>Listening ports from /proc/net/tcp and tcp6 ("  0: 00000000:1A0B 00000000:0000 0A ...": state 0A is LISTEN).</summary>
    internal static IEnumerable<int> ParseProcNetTcpListeningPorts(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4 || !parts[0].EndsWith(':') || parts[3] != "0A")
            {
                continue;
            }

            var colon = parts[1].LastIndexOf(':');
            if (colon >= 0 && int.TryParse(parts[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            {
                yield return port;
            }
        }
    }

    private static IReadOnlyList<int> Checked(IEnumerable<int> listening)
    {
        var set = listening.ToHashSet();
        return KubernetesPorts.Checked.Where(set.Contains).ToList();
    }
}
