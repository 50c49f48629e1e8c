using System.Globalization;

namespace KubeHa.Bench;

/// <summary>This process's resident memory from /proc/self/status (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set size, MiB.</summary>
    public static double RssMiB() => Read("VmRSS:");

    /// <summary>Peak resident set size since start or the last <see cref="ResetPeak"/>, MiB.</summary>
    public static double PeakRssMiB() => Read("VmHWM:");

    /// <summary>Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux 4.0+).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>Managed heap after a full blocking collection, MiB.</summary>
    public static double ManagedMiB()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
    }

    private static double Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return Math.Round(kb / 1024.0, 1);
            }
        }

        return double.NaN;
    }
}
