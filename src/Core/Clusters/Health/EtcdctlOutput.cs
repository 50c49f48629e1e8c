namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// Parses etcdctl v3's simple output: <c>member list</c> ("8e9e05c52164694d, started, node1, https://10.0.0.1:2380,
/// https://10.0.0.1:2379, false") and <c>endpoint health --cluster</c> ("https://10.0.0.1:2379 is healthy: successfully
/// committed proposal: took = 2.1ms" / "... is unhealthy: failed to commit proposal: context deadline exceeded").
/// Other lines (etcdctl's JSON warnings) are ignored.
/// </summary>
public static class EtcdctlOutput
{
    public static IReadOnlyList<EtcdMember> ParseMembers(string memberList, string endpointHealth)
    {
        var health = ParseHealth(endpointHealth);
        var members = new List<EtcdMember>();
        foreach (var line in memberList.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(',', StringSplitOptions.TrimEntries);
            if (f.Length < 6 || f[1] is not ("started" or "unstarted") || !IsHex(f[0]))
            {
                continue;
            }

            var clientUrl = f[4].Split(' ')[0];
            var (healthy, detail) = health.TryGetValue(clientUrl, out var h) ? h : ((bool?)null, (string?)null);
            members.Add(new EtcdMember(f[0], f[2], f[1] == "started", f[3].Split(' ')[0], clientUrl, f[5] == "true", healthy, detail));
        }

        return members;
    }

    /// <summary>Client URL → (healthy, detail).</summary>
    public static IReadOnlyDictionary<string, (bool? Healthy, string? Detail)> ParseHealth(string output)
    {
        var result = new Dictionary<string, (bool?, string?)>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var (marker, healthy) in new[] { (" is healthy: ", true), (" is unhealthy: ", false) })
            {
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at > 0 && !line.StartsWith('{'))
                {
                    result[line[..at]] = (healthy, line[(at + marker.Length)..]);
                    break;
                }
            }
        }

        return result;
    }

    private static bool IsHex(string s) => s.Length > 0 && s.All(Uri.IsHexDigit);
}
