using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeHa.Bench;

/// <summary>One figure: a measured value, its unit, and the issue's target where there is one (never asserted).</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Target = null, bool? MeetsTarget = null);

/// <summary>What one scenario measured, with the machine, the time and the exact command; written as JSON.</summary>
public sealed class BenchResult
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public required string Scenario { get; init; }

    public required string Command { get; init; }

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? FinishedAt { get; set; }

    public Dictionary<string, string> Machine { get; init; } = MachineInfo();

    /// <summary>Versions of the tools a figure depends on (e.g. "ansible": "ansible-playbook [core 2.14.18]").</summary>
    public Dictionary<string, string> Tools { get; init; } = [];

    public List<Figure> Figures { get; init; } = [];

    /// <summary>Why the scenario failed; a failed scenario keeps no figure (it is written as SCENARIO.failed.json).</summary>
    public string? Failure { get; set; }

    public List<string> Notes { get; init; } = [];

    public void Add(string name, double value, string unit, string? target = null, bool? meets = null)
    {
        Figures.Add(new Figure(name, Math.Round(value, 3), unit, target, meets));
        Console.WriteLine($"  {name}: {value.ToString("0.###", CultureInfo.InvariantCulture)} {unit}{(target is null ? "" : $"  (target {target}: {(meets == true ? "met" : "missed")})")}");
    }

    public void Note(string note)
    {
        Notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    /// <summary>The scenario failed: no figure of it is kept (one could come from the failed run), only the reason.</summary>
    public void Fail(string reason)
    {
        Failure = reason;
        Figures.Clear();
    }

    /// <summary>
    /// Writes SCENARIO.json, or SCENARIO.failed.json for a failed scenario (an earlier successful result is left as it
    /// was, and listed beside the failure by <see cref="Report"/>).
    /// </summary>
    public string Save(string directory)
    {
        FinishedAt = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(directory);
        var failed = Path.Combine(directory, Scenario + ".failed.json");
        var path = Failure is null ? Path.Combine(directory, Scenario + ".json") : failed;
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        if (Failure is null)
        {
            File.Delete(failed);
        }

        return path;
    }

    /// <summary>Every *.json result of a directory as one Markdown table (results.md).</summary>
    public static string Report(string directory)
    {
        var results = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<BenchResult>(File.ReadAllText(f), Json)!).ToList();
        var sb = new StringBuilder("# KubeHa benchmark results\n\n");
        if (results.Count > 0)
        {
            var m = results[0].Machine;
            sb.Append(CultureInfo.InvariantCulture, $"Machine: {m.GetValueOrDefault("cpu")}, {m.GetValueOrDefault("cores")} cores, {m.GetValueOrDefault("memory")}, {m.GetValueOrDefault("os")}, kernel {m.GetValueOrDefault("kernel")}, .NET {m.GetValueOrDefault("dotnet")}.\n\n");
            foreach (var tool in results.SelectMany(r => r.Tools).DistinctBy(t => (t.Key, t.Value)))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{tool.Key}: {tool.Value}\n\n");
            }
        }

        foreach (var r in results.Where(r => r.Failure is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"**FAILED: {r.Scenario}** (`{r.Command}`, {r.StartedAt:yyyy-MM-dd HH:mm} UTC), no figure kept:\n\n```\n{r.Failure}\n```\n\n");
        }

        sb.Append("| scenario | figure | value | target | |\n|---|---|---:|---|---|\n");
        foreach (var r in results)
        {
            foreach (var f in r.Figures)
            {
                var met = f.MeetsTarget switch { true => "met", false => "**missed**", _ => "" };
                sb.Append(CultureInfo.InvariantCulture, $"| {r.Scenario} | {f.Name} | {f.Value.ToString("0.###", CultureInfo.InvariantCulture)} {f.Unit} | {f.Target} | {met} |\n");
            }
        }

        sb.Append("\n## Runs\n\n");
        foreach (var r in results)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- **{r.Scenario}**: `{r.Command}`, {r.StartedAt:yyyy-MM-dd HH:mm} to {r.FinishedAt:HH:mm} UTC\n");
            foreach (var n in r.Notes)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  - {n}\n");
            }
        }

        return sb.ToString();
    }

    private static Dictionary<string, string> MachineInfo()
    {
        static string Field(string file, string key) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(new[] { ':', '=' }, 2)[1].Trim().Trim('"') ?? "" : "";
        var memKb = Field("/proc/meminfo", "MemTotal").Split(' ')[0];
        return new Dictionary<string, string>
        {
            ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["cpu"] = Field("/proc/cpuinfo", "model name"),
            ["memory"] = long.TryParse(memKb, out var kb) ? $"{kb / 1048576.0:0.#} GiB" : "",
            ["os"] = Field("/etc/os-release", "PRETTY_NAME"),
            ["kernel"] = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "",
            ["dotnet"] = Environment.Version.ToString(),
        };
    }
}

/// <summary>Percentiles by nearest rank.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
