using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Diagnostics;

/// <summary>Recognises the <c>[phase]</c> tag at the start of a kubeadm line and gives it its current name.</summary>
public static partial class KubeadmPhaseNames
{
    // Old spellings (1.13-1.15 and earlier) and sub-tags mapped to today's phase names.
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["uploadconfig"] = "upload-config",
        ["upload-config"] = "upload-config",
        ["kubelet"] = "upload-config", // "[kubelet] Creating a ConfigMap "kubelet-config..." is part of upload-config
        ["bootstraptoken"] = "bootstrap-token",
        ["certificates"] = "certs",
        ["controlplane"] = "control-plane",
        ["markmaster"] = "mark-control-plane",
        ["mark-master"] = "mark-control-plane",
        ["uploadcerts"] = "upload-certs",
        ["copycerts"] = "upload-certs",
        ["tlsbootstrap"] = "kubelet-start",
        ["tls-bootstrap"] = "kubelet-start",
        ["download-certs"] = "control-plane-prepare",
        ["kubelet-finalise"] = "kubelet-finalize",
        ["addon"] = "addons",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Tags that look like phases but are not kubeadm's (CNI, containerd, grpc, cloud-init...).
    private static readonly FrozenSet<string> NotPhases = new[] { "core", "error", "warning", "info", "debug" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The normalised phase named by the tag that starts <paramref name="text"/>, or null.</summary>
    public static string? Of(string text)
    {
        if (text.Length < 4 || text[0] != '[')
        {
            return null;
        }

        var m = TagRegex().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var tag = m.Groups["tag"].Value;
        if (tag == "config" && m.Groups["sub"].Value == "images")
        {
            return "images-pulled"; // "[config/images] Pulled registry.k8s.io/...": kubeadm config images pull, not a config phase
        }

        if (NotPhases.Contains(tag))
        {
            return null;
        }

        return Aliases.TryGetValue(tag, out var name) ? name : tag;
    }

    // "[certs] ...", "[preflight/images] ...", "[upgrade/apply] ..." (first segment kept).
    [GeneratedRegex(@"^\[(?<tag>[a-z][a-z0-9-]{1,40})(?:/(?<sub>[a-z0-9-]{1,40}))?\](?:\s|$)", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex TagRegex();
}
