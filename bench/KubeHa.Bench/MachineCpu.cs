using System.Globalization;

namespace KubeHa.Bench;

/// <summary>Machine-wide CPU time from /proc/stat (all cores), to tell a CPU-bound run from a waiting one.</summary>
public readonly record struct MachineCpu(double BusySeconds, double TotalSeconds)
{
    public double BusyFraction => TotalSeconds > 0 ? BusySeconds / TotalSeconds : double.NaN;

    public static MachineCpu Read()
    {
        // cpu  user nice system idle iowait irq softirq steal ... in USER_HZ (100 per second on Linux).
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Sum();
        return new MachineCpu((total - idle) / 100.0, total / 100.0);
    }

    public static MachineCpu operator -(MachineCpu a, MachineCpu b) => Subtract(a, b);

    public static MachineCpu Subtract(MachineCpu a, MachineCpu b) => new(a.BusySeconds - b.BusySeconds, a.TotalSeconds - b.TotalSeconds);
}
