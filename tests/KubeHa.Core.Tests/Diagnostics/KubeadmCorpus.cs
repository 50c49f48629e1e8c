namespace KubeHa.Core.Tests.Diagnostics;

/// <summary>
/// The corpus of real kubeadm outputs under tests/KubeHa.Core.Tests/Diagnostics/Corpus (copied next to the test
/// assemblies). Each file is a header of "key: value" lines, a "-----8&lt;-----" line, then the output.
/// </summary>
public static class KubeadmCorpus
{
    public const string Separator = "-----8<-----";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Diagnostics", "Corpus");

    private static readonly Lazy<IReadOnlyList<KubeadmCorpusSample>> Samples = new(LoadAll);

    public static IReadOnlyList<KubeadmCorpusSample> All => Samples.Value;

    public static KubeadmCorpusSample Get(string name) =>
        All.SingleOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No corpus sample named {name}", nameof(name));

    /// <summary>Sample names, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var sample in All)
        {
            data.Add(sample.Name);
        }

        return data;
    }

    private static IReadOnlyList<KubeadmCorpusSample> LoadAll() =>
        System.IO.Directory.GetFiles(Directory, "*.txt")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(Parse)
            .ToList();

    private static KubeadmCorpusSample Parse(string path)
    {
        var text = File.ReadAllText(path);
        var at = text.IndexOf(Separator + "\n", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException($"{path}: missing the '{Separator}' line between header and output");
        }

        var header = text[..at].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : string.Empty, StringComparer.Ordinal);
        string Required(string key) => header.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new FormatException($"{path}: header '{key}' is required");

        var codes = Required("codes");
        var phases = header.GetValueOrDefault("phases");
        var joins = Required("joins");
        return new KubeadmCorpusSample(
            Path.GetFileName(path),
            Required("provenance"),
            Required("kubeadm"),
            Required("outcome"),
            codes.StartsWith("none", StringComparison.Ordinal) ? new HashSet<string>() : SplitList(codes, ',').ToHashSet(),
            SplitList(header.GetValueOrDefault("severities") ?? string.Empty, ',')
                .Select(s => s.Split('=', 2))
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal),
            phases is null ? null : phases.StartsWith("none", StringComparison.Ordinal) ? [] : SplitList(phases, ',').ToList(),
            joins.StartsWith("none", StringComparison.Ordinal) ? [] : SplitList(joins, ';').Select(KubeadmCorpusJoin.Parse).ToList(),
            text[(at + Separator.Length + 1)..]);
    }

    private static IEnumerable<string> SplitList(string value, char separator) =>
        value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
