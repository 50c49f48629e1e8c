using System.Globalization;
using KubeHa.Core.Remote;

namespace KubeHa.Core.LoadBalancing;

/// <summary>One server row of HAProxy's <c>show stat</c> CSV.</summary>
/// <param name="Backend">pxname: the backend.</param>
/// <param name="Server">svname: the server line's name.</param>
/// <param name="Status">status as HAProxy prints it: "UP", "DOWN", "MAINT", "UP 1/3", "no check"...</param>
/// <param name="CheckStatus">check_status: "L7OK", "L4CON", "L7STS", "L4TOUT"... (empty without checks).</param>
/// <param name="LastCheck">last_chk: the last check's detail ("HTTP status 200", "Connection refused").</param>
/// <param name="SecondsSinceChange">lastchg: seconds since the last UP/DOWN transition.</param>
/// <param name="CurrentSessions">scur.</param>
/// <param name="TotalSessions">stot.</param>
/// <param name="Address">addr: "ip:port" (HAProxy 1.9+).</param>
public sealed record HaproxyServerStatus(
    string Backend,
    string Server,
    string Status,
    string CheckStatus = "",
    string LastCheck = "",
    long? SecondsSinceChange = null,
    long CurrentSessions = 0,
    long TotalSessions = 0,
    string Address = "")
{
    public HaproxyServerState State => Status switch
    {
        _ when Status.StartsWith("UP", StringComparison.Ordinal) => HaproxyServerState.Up,
        _ when Status.StartsWith("DOWN", StringComparison.Ordinal) => HaproxyServerState.Down,
        _ when Status.StartsWith("MAINT", StringComparison.Ordinal) || Status.StartsWith("DRAIN", StringComparison.Ordinal) => HaproxyServerState.Maintenance,
        _ => HaproxyServerState.Other,
    };
}

/// <summary>Parses <c>echo "show stat" | socat stdio /run/haproxy/admin.sock</c> output (header "# pxname,svname,...").</summary>
public static class HaproxyStatCsv
{
    /// <summary>The command that prints this CSV from HAProxy's stats socket (root; socat).</summary>
    public static ShellScript ShowStat(string statsSocket) => $"echo 'show stat' | socat stdio {statsSocket}";

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

        var (check, lastChk, lastChg, scur, stot, addr) = (Index("check_status"), Index("last_chk"), Index("lastchg"), Index("scur"), Index("stot"), Index("addr"));
        string Text(string[] f, int i) => i >= 0 && i < f.Length ? f[i] : string.Empty;
        long? Number(string[] f, int i) => long.TryParse(Text(f, i), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        // Check details never contain commas in HAProxy's CSV (it replaces them), so a plain split is exact.
        return lines.Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(','))
            .Where(f => f.Length > status && f.Length > sv && f[sv] is not ("FRONTEND" or "BACKEND"))
            .Select(f => new HaproxyServerStatus(
                f[px], f[sv], f[status],
                Text(f, check).TrimStart('*', ' '), Text(f, lastChk), Number(f, lastChg), Number(f, scur) ?? 0, Number(f, stot) ?? 0, Text(f, addr)))
            .ToList();
    }
}
