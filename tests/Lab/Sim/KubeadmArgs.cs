namespace KubeHa.Lab.Sim;

/// <summary>cobra-style flags: --name=value, --name value, boolean flags, positional arguments.</summary>
internal sealed class KubeadmArgs
{
    private static readonly HashSet<string> Booleans =
    [
        "upload-certs", "control-plane", "print-join-command", "force", "f", "discovery-token-unsafe-skip-ca-verification",
        "dry-run", "skip-token-print", "skip-certificate-key-print", "help", "h", "experimental-upload-certs",
    ];

    public List<string> Positional { get; } = [];
    public Dictionary<string, string> Flags { get; } = [];

    public static KubeadmArgs Parse(IEnumerable<string> args)
    {
        var a = new KubeadmArgs();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i];
            if (s.StartsWith('-') && s.Length > 1)
            {
                var name = s.TrimStart('-');
                string? value = null;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                else if (!Booleans.Contains(name) && name != "v" && i + 1 < list.Count) value = list[++i];
                else if (name == "v" && i + 1 < list.Count && int.TryParse(list[i + 1], out _)) value = list[++i];
                a.Flags[name] = value ?? "true";
            }
            else a.Positional.Add(s);
        }
        return a;
    }

    public string? this[string name] => Flags.TryGetValue(name, out var v) ? v : null;

    public bool Has(string name) => Flags.ContainsKey(name) && Flags[name] != "false";
}
