using System.Text;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>Scalar quoting for the small YAML documents KubeHa renders by hand.</summary>
internal static class Yaml
{
    /// <summary>A double-quoted YAML scalar: safe for any value (IPs, "host:port", tokens).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
