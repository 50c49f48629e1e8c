using System.Globalization;

namespace KubeHa.Lab.Sim;

/// <summary>Identity of the lab host this process runs in (/etc/khlab/host.env) and the lab clock.</summary>
internal static class LabEnv
{
    private static readonly Dictionary<string, string> Values = Load();

    public static string NodeName => Get("KHLAB_NAME", Environment.MachineName);
    public static string Ip => Get("KHLAB_IP", "127.0.0.1");
    public static string StateDir => Get("KHLAB_STATE", "/var/lib/kubeha-lab");
    public static int Cpus => int.Parse(Get("KHLAB_CPUS", "2"), CultureInfo.InvariantCulture);
    public static string ClustersDir => Path.Combine(StateDir, "clusters");

    /// <summary>Lab time: real time plus the lab-wide offset set by `lab clock advance`.</summary>
    public static DateTimeOffset Now => DateTimeOffset.UtcNow + ClockOffset;

    /// <summary>The lab clock's offset from the machine's clock.</summary>
    public static TimeSpan ClockOffset
    {
        get
        {
            var offset = 0L;
            try { offset = long.Parse(File.ReadAllText(Path.Combine(StateDir, "clock")).Trim(), CultureInfo.InvariantCulture); }
            catch (IOException) { }
            catch (FormatException) { }
            return TimeSpan.FromSeconds(offset);
        }
    }

    /// <summary>fast (default) or realistic: how long simulated phases take.</summary>
    public static string Profile
    {
        get
        {
            var p = Path.Combine(StateDir, "profile");
            return File.Exists(p) ? File.ReadAllText(p).Trim() : "fast";
        }
    }

    public static TimeSpan AddedLatency
    {
        get
        {
            try
            {
                return File.Exists("/etc/khlab/slow")
                    ? TimeSpan.FromSeconds(double.Parse(File.ReadAllText("/etc/khlab/slow").Trim(), CultureInfo.InvariantCulture))
                    : TimeSpan.Zero;
            }
            catch (FormatException) { return TimeSpan.Zero; }
        }
    }

    private static string Get(string key, string fallback) => Values.TryGetValue(key, out var v) ? v : fallback;

    private static Dictionary<string, string> Load()
    {
        var d = new Dictionary<string, string>();
        const string path = "/etc/khlab/host.env";
        if (!File.Exists(path)) return d;
        foreach (var line in File.ReadAllLines(path))
        {
            var i = line.IndexOf('=', StringComparison.Ordinal);
            if (i > 0) d[line[..i]] = line[(i + 1)..];
        }
        return d;
    }
}
