using System.Security.Cryptography;
using System.Text;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// An upstream manifest shipped in the assembly, pinned: a KubeHa header of <c># key: value</c> comment lines (name,
/// version, source with tag and commit, body-sha256, what KubeHa substitutes), then the upstream file byte for byte.
/// Renderers change the body only through <see cref="ReplaceOnce"/>, so every change is named and fails loudly when an
/// update of the upstream file moved the text it relied on.
/// </summary>
public sealed class VendoredManifest
{
    /// <summary>The line that ends the header; the upstream body starts on the next line.</summary>
    public const string EndOfHeader = "# ---- end of KubeHa header: the upstream file follows, byte for byte ----";

    private VendoredManifest(string resourceName, string header, string body, IReadOnlyDictionary<string, string> fields)
    {
        ResourceName = resourceName;
        Header = header;
        Body = body;
        Fields = fields;
    }

    /// <summary>The embedded resource, e.g. KubeHa.Core.Provisioning.Rendering.Cni.flannel.yaml.</summary>
    public string ResourceName { get; }

    /// <summary>The header lines, the end-of-header line included.</summary>
    public string Header { get; }

    /// <summary>The upstream file as vendored.</summary>
    public string Body { get; }

    /// <summary>The header's <c># key: value</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    public string Name => Fields["name"];

    /// <summary>The upstream release, as its project spells it ("v3.32.1", "2.8.1").</summary>
    public string Version => Fields["version"];

    /// <summary>Why the project is unmaintained, or null.</summary>
    public string? Unmaintained => Fields.GetValueOrDefault("unmaintained");

    /// <summary>The SHA-256 the header records for the body.</summary>
    public string DeclaredBodySha256 => Fields["body-sha256"];

    /// <summary>The SHA-256 of the body as embedded (lower-case hex).</summary>
    public string BodySha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Body)));

    public static VendoredManifest Load(string resourceName)
    {
        using var stream = typeof(VendoredManifest).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The embedded manifest {resourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(resourceName, reader.ReadToEnd());
    }

    internal static VendoredManifest Parse(string resourceName, string text)
    {
        var end = text.IndexOf(EndOfHeader + "\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"The embedded manifest {resourceName} has no KubeHa header.");
        }

        var header = text[..(end + EndOfHeader.Length + 1)];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in header.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (line.StartsWith("# ", StringComparison.Ordinal) && colon > 2 && !line[2..colon].Contains(' ', StringComparison.Ordinal))
            {
                fields[line[2..colon]] = line[(colon + 2)..].Trim();
            }
        }

        foreach (var required in new[] { "name", "version", "source", "body-sha256", "substitutes" })
        {
            if (!fields.ContainsKey(required))
            {
                throw new InvalidOperationException($"The embedded manifest {resourceName} has no '{required}' in its header.");
            }
        }

        return new VendoredManifest(resourceName, header, text[header.Length..], fields);
    }

    /// <summary>
    /// Replaces <paramref name="find"/>, which must occur exactly once in <paramref name="text"/> (a vendored body or a
    /// body already substituted), with <paramref name="replacement"/>.
    /// </summary>
    /// <param name="what">What the text is, for the error: "flannel's net-conf.json Network".</param>
    public string ReplaceOnce(string text, string find, string replacement, string what)
    {
        var first = text.IndexOf(find, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(find, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException(
                $"The vendored manifest {ResourceName} ({Name} {Version}) has {(first < 0 ? "no" : "more than one")} {what}: the upstream file changed; update its renderer.");
        }

        return string.Concat(text.AsSpan(0, first), replacement, text.AsSpan(first + find.Length));
    }
}
