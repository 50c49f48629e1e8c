using System.Text;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Scalar quoting for the small YAML documents KubeHa renders by hand.</summary>
internal static class Yaml
{
    /// <summary>A double-quoted YAML scalar: safe for any value (IPs, "host:port", tokens, text from a host).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            // Every character YAML would read as a line break or that a terminal would act on is escaped: the value stays
            // one scalar on one line, whatever a host or an operator put in it.
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\u0085' => "\\N",
                '\u2028' => "\\L",
                '\u2029' => "\\P",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
