using System.Text.Json;
using KubeHa.Core.Clusters;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeHa.Core.Hosts.Import;

/// <summary>
/// Reads hosts from an Ansible inventory (INI or YAML: ansible_host, ansible_port, ansible_user, groups as suggested
/// roles), a CSV with a header (name, address, port, user, roles) or the lab's inventory JSON. Parsing only: the
/// values are validated by <see cref="HostInventory.ImportAsync"/> like any host an operator types in.
/// </summary>
public static class HostImportParser
{
    public static HostImportParse Parse(string text, HostImportFormat format = HostImportFormat.Auto)
    {
        text ??= "";
        var chosen = format == HostImportFormat.Auto ? Recognise(text) : format;
        var errors = new List<string>();
        var hosts = chosen switch
        {
            HostImportFormat.LabJson => ParseLabJson(text, errors),
            HostImportFormat.Csv => ParseCsv(text, errors),
            HostImportFormat.AnsibleYaml => ParseYaml(text, errors),
            _ => ParseIni(text, errors),
        };
        if (hosts.Count == 0 && errors.Count == 0)
        {
            errors.Add("No hosts found in the text.");
        }

        return new HostImportParse(chosen, hosts, errors);
    }

    /// <summary>JSON object: the lab's inventory; a first line with commas and a name column: CSV; "key:" lines
    /// without "=": YAML; anything else: INI (a plain list of addresses is a valid INI inventory).</summary>
    public static HostImportFormat Recognise(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(';')).ToList();
        if (lines.Count == 0)
        {
            return HostImportFormat.AnsibleIni;
        }

        if (lines[0].StartsWith('{'))
        {
            return HostImportFormat.LabJson;
        }

        if (lines[0].Contains(',', StringComparison.Ordinal) && SplitCsv(lines[0]).Any(c => c.Equals("name", StringComparison.OrdinalIgnoreCase)))
        {
            return HostImportFormat.Csv;
        }

        return lines[0] == "---" || (lines[0].EndsWith(':') && !lines.Any(l => l.Contains('=', StringComparison.Ordinal)))
            ? HostImportFormat.AnsibleYaml
            : HostImportFormat.AnsibleIni;
    }

    private static List<ImportedHost> ParseIni(string text, List<string> errors)
    {
        var inventory = new AnsibleInventory();
        var (group, kind) = ("ungrouped", "hosts");
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                var header = line[1..^1].Trim();
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                (group, kind) = colon < 0 ? (header, "hosts") : (header[..colon], header[(colon + 1)..]);
                continue;
            }

            var tokens = Tokens(line);
            switch (kind)
            {
                case "children":
                    inventory.AddChild(group, tokens[0]);
                    break;
                case "vars":
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        inventory.AddGroupVar(group, line[..eq].Trim(), Unquote(line[(eq + 1)..].Trim()));
                    }

                    break;
                default:
                    if (tokens[0].Contains('[', StringComparison.Ordinal))
                    {
                        errors.Add($"Line {number}: host ranges such as '{tokens[0]}' are not expanded; list the hosts one per line.");
                        break;
                    }

                    var vars = tokens.Skip(1).Select(t => t.Split('=', 2)).Where(p => p.Length == 2)
                        .Select(p => KeyValuePair.Create(p[0], Unquote(p[1])));
                    inventory.AddHost(group, tokens[0], vars);
                    break;
            }
        }

        return inventory.Resolve(errors);
    }

    private static List<ImportedHost> ParseYaml(string text, List<string> errors)
    {
        var inventory = new AnsibleInventory();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root)
            {
                foreach (var (key, value) in root.Children)
                {
                    ReadYamlGroup(inventory, Scalar(key), value);
                }
            }
            else
            {
                errors.Add("The YAML inventory has no groups (expected e.g. 'all:' with 'hosts:' and 'children:').");
            }
        }
        catch (YamlException e)
        {
            errors.Add($"Line {e.Start.Line}: {e.Message}");
        }

        return errors.Count > 0 ? [] : inventory.Resolve(errors);
    }

    private static void ReadYamlGroup(AnsibleInventory inventory, string group, YamlNode node)
    {
        if (node is not YamlMappingNode body)
        {
            return;
        }

        foreach (var (key, value) in body.Children)
        {
            switch (Scalar(key))
            {
                case "hosts" when value is YamlMappingNode hosts:
                    foreach (var (host, vars) in hosts.Children)
                    {
                        inventory.AddHost(group, Scalar(host), ScalarPairs(vars));
                    }

                    break;
                case "vars":
                    foreach (var (name, setting) in ScalarPairs(value))
                    {
                        inventory.AddGroupVar(group, name, setting);
                    }

                    break;
                case "children" when value is YamlMappingNode children:
                    foreach (var (child, childBody) in children.Children)
                    {
                        inventory.AddChild(group, Scalar(child));
                        ReadYamlGroup(inventory, Scalar(child), childBody);
                    }

                    break;
            }
        }
    }

    private static List<ImportedHost> ParseCsv(string text, List<string> errors)
    {
        var lines = text.Split('\n').Select((l, i) => (Text: l.Trim(), Number: i + 1)).Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#')).ToList();
        var header = SplitCsv(lines[0].Text).Select(h => h.ToLowerInvariant()).ToList();
        int Column(params string[] names) => header.FindIndex(names.Contains);
        var (name, address, port, user, roles) = (Column("name"), Column("address", "host", "ip", "ansible_host"), Column("port", "ssh_port", "ansible_port"),
            Column("user", "username", "ansible_user"), Column("roles", "role", "groups"));
        if (name < 0)
        {
            errors.Add("The CSV header has no 'name' column (expected: name,address,port,user,roles).");
            return [];
        }

        var hosts = new List<ImportedHost>();
        foreach (var (line, number) in lines.Skip(1))
        {
            var cells = SplitCsv(line);
            string? Cell(int index) => index >= 0 && index < cells.Count && cells[index].Length > 0 ? cells[index] : null;
            var portValue = 22;
            if (Cell(port) is { } portText && !int.TryParse(portText, out portValue))
            {
                errors.Add($"Line {number}: port '{portText}' is not a number.");
                continue;
            }

            var groups = (Cell(roles) ?? "").Split([' ', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var hostName = Cell(name) ?? "";
            hosts.Add(new ImportedHost(hostName, Cell(address) ?? hostName, portValue, Cell(user), groups, RolesFromCsv(groups)));
        }

        return hosts;
    }

    private static List<ImportedHost> ParseLabJson(string text, List<string> errors)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (!document.RootElement.TryGetProperty("hosts", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                errors.Add("The JSON has no \"hosts\" array (expected the output of 'tests/Lab/lab inventory').");
                return [];
            }

            return array.EnumerateArray().Select(h => new ImportedHost(
                String(h, "name") ?? "",
                String(h, "ip") ?? String(h, "address") ?? String(h, "name") ?? "",
                h.TryGetProperty("sshPort", out var p) && p.TryGetInt32(out var port) ? port : 22,
                String(h, "user"),
                [],
                [])).ToList();
        }
        catch (JsonException e)
        {
            errors.Add($"The JSON could not be read: {e.Message}");
            return [];
        }
    }

    private static IReadOnlyList<NodeRole> RolesFromCsv(IEnumerable<string> roles)
        => AnsibleInventory.SuggestedRoles(roles.Select(r => r.ToLowerInvariant() switch
        {
            "control-plane" or "controlplane" or "cp" => "control_plane",
            "load-balancer" => "lb",
            "worker" => "worker",
            var other => other,
        }));

    private static string? String(JsonElement element, string property)
        => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Scalar(YamlNode node) => (node as YamlScalarNode)?.Value ?? "";

    private static IEnumerable<KeyValuePair<string, string>> ScalarPairs(YamlNode node)
        => node is YamlMappingNode map
            ? map.Children.Where(c => c.Value is YamlScalarNode).Select(c => KeyValuePair.Create(Scalar(c.Key), Scalar(c.Value)))
            : [];

    private static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is null && c is '#')
            {
                break;
            }

            if (c is '"' or '\'' && (quote is null || quote == c))
            {
                quote = quote is null ? c : null;
                current.Append(c);
            }
            else if (quote is null && char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static string Unquote(string value)
        => value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static List<string> SplitCsv(string line)
        => line.Split(',').Select(c => Unquote(c.Trim())).ToList();
}
