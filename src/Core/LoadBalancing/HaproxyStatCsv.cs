namespace KubeHa.Core.LoadBalancing;

/// <summary>One server row of HAProxy's <c>show stat</c> CSV.</summary>
public sealed record HaproxyServerStatus(string Backend, string Server, string Status);

/// <summary>Parses <c>echo "show stat" | socat stdio /run/haproxy/admin.sock</c> output (header "# pxname,svname,...").</summary>
public static class HaproxyStatCsv
{
    public static IReadOnlyList<HaproxyServerStatus> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines.FirstOrDefault(l => l.StartsWith('#'));
        if (header is null)
        {
            return [];
        }

        var columns = header.TrimStart('#', ' ').Split(',');
        int Index(string name) => Array.IndexOf(columns, name);
        var (px, sv, status) = (Index("pxname"), Index("svname"), Index("status"));
        if (px < 0 || sv < 0 || status < 0)
        {
            return [];
        }

        return lines.Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(','))
            .Where(f => f.Length > status && f[sv] is not ("FRONTEND" or "BACKEND"))
            .Select(f => new HaproxyServerStatus(f[px], f[sv], f[status]))
            .ToList();
    }
}
