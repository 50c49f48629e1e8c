using System.Text;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Security;

/// <summary>
/// Masks secrets in free text before it leaves the system (UI, API, logs, the run ledger):
/// bootstrap token secrets (the token id before the dot stays readable), certificate keys,
/// private key blocks, passwords, bearer tokens and credentials in URLs.
/// Discovery CA hashes (<c>sha256:&lt;hex&gt;</c>) are public and stay readable.
/// Pure and thread-safe; every regular expression is source-generated with a match timeout.
/// </summary>
public static partial class SecretMasker
{
    /// <summary>What replaces a masked value.</summary>
    public const string Mask = "****************";

    private const int TimeoutMs = 2000;

    /// <summary>Returns <paramref name="text"/> with every recognised secret replaced by <see cref="Mask"/>.</summary>
    public static string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var masked = MaskPrivateKeyBlocks(text);
        if (masked.Length <= SegmentChars)
        {
            return ApplyPatterns(masked);
        }

        // A command's whole output can be megabytes (a 50,000-line log is 1.5 MB): one regex scan over it can outlast the
        // match timeout on a busy machine and fail the run. Segments end at line breaks no pattern crosses.
        var sb = new StringBuilder(masked.Length);
        for (var pos = 0; pos < masked.Length;)
        {
            var end = SegmentEnd(masked, pos);
            sb.Append(ApplyPatterns(masked[pos..end]));
            pos = end;
        }

        return sb.ToString();
    }

    /// <summary>Texts longer than this are masked segment by segment (see <see cref="Apply"/>).</summary>
    public const int SegmentChars = 64 * 1024;

    // Just after the first line break at or beyond pos + SegmentChars that the flag pattern cannot cross: its `:\s*`
    // spans line breaks ("Using certificate key:" then the key on the next line), so never split after a colon.
    private static int SegmentEnd(string text, int pos)
    {
        for (var i = pos + SegmentChars; i < text.Length;)
        {
            var newline = text.IndexOf('\n', i);
            if (newline < 0)
            {
                break;
            }

            var j = newline;
            while (j > pos && char.IsWhiteSpace(text[j]))
            {
                j--;
            }

            if (text[j] != ':')
            {
                return newline + 1;
            }

            i = newline + 1;
        }

        return text.Length;
    }

    private static string ApplyPatterns(string text)
    {
        var masked = FlagValueRegex().Replace(text, MaskFlagValue);
        masked = BootstrapTokenRegex().Replace(masked, m => m.Groups["id"].Value + "." + Mask);
        masked = HexKeyRegex().Replace(masked, Mask);
        masked = KeyValueSecretRegex().Replace(masked, m => m.Groups["k"].Value + Mask);
        masked = BearerRegex().Replace(masked, m => m.Groups["k"].Value + Mask);
        masked = BasicAuthRegex().Replace(masked, m => m.Groups["k"].Value + Mask);
        masked = UrlCredentialRegex().Replace(masked, m => m.Groups["pre"].Value + Mask + "@");
        masked = BareTokenRegex().Replace(masked, m => m.Groups["k"].Value + Mask);
        return masked;
    }

    /// <summary>True when <paramref name="text"/> contains something <see cref="Apply"/> would mask.</summary>
    public static bool ContainsSecret(string? text) =>
        !string.IsNullOrEmpty(text) && !string.Equals(Apply(text), text, StringComparison.Ordinal);

    private static string MaskFlagValue(Match m)
    {
        var value = m.Groups["v"].Value;
        var prefix = m.Groups["flag"].Value + m.Groups["q"].Value;
        if (value.Length == 0 || value.StartsWith('<') || value.Contains('*', StringComparison.Ordinal))
        {
            return m.Value; // placeholder such as <token>, or already masked
        }

        var isToken = m.Groups["flag"].Value.Contains("oken", StringComparison.OrdinalIgnoreCase);
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (isToken && dot > 0)
        {
            return prefix + value[..dot] + "." + Mask;
        }

        return prefix + Mask;
    }

    private static string MaskPrivateKeyBlocks(string text)
    {
        const string begin = "-----BEGIN ";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var pos = 0;
        while (start >= 0)
        {
            var headerEnd = text.IndexOf("-----", start + begin.Length, StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                break;
            }

            var label = text[(start + begin.Length)..headerEnd];
            if (!label.Contains("PRIVATE KEY", StringComparison.Ordinal) || label.Contains('\n', StringComparison.Ordinal))
            {
                start = text.IndexOf(begin, headerEnd, StringComparison.Ordinal);
                continue;
            }

            var footer = "-----END " + label + "-----";
            var end = text.IndexOf(footer, headerEnd, StringComparison.Ordinal);
            var blockEnd = end < 0 ? text.Length : end + footer.Length;
            sb.Append(text, pos, start - pos).Append("-----BEGIN ").Append(label).Append("----- ").Append(Mask);
            if (end >= 0)
            {
                sb.Append(' ').Append(footer);
            }

            pos = blockEnd;
            start = blockEnd < text.Length ? text.IndexOf(begin, blockEnd, StringComparison.Ordinal) : -1;
        }

        sb.Append(text, pos, text.Length - pos);
        return sb.ToString();
    }

    // --token, --discovery-token, --tls-bootstrap-token, --certificate-key, YAML keys and kubeadm's own
    // "Using token:" / "Using certificate key:" lines (the key is printed on the next line).
    [GeneratedRegex(
        """(?<flag>--(?:discovery-|tls-bootstrap-)?token(?:=|[ \t]+)|--certificate-key(?:=|[ \t]+)|\b(?:[A-Za-z0-9]+_)*(?:tlsBootstrapToken|token|certificateKey|certificate key|Using token)["']?[ \t]*:\s*)(?<q>["']?)(?<v>[^\s"'\\,]*)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex FlagValueRegex();

    [GeneratedRegex(@"\b(?<id>[a-z0-9]{6})\.[a-z0-9]{16}\b", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex BootstrapTokenRegex();

    // 64+ hex characters (certificate keys, raw keys) unless it is a sha256: digest or CA hash.
    [GeneratedRegex(@"(?<!sha256:)(?<![0-9A-Fa-f])[0-9A-Fa-f]{64,}(?![0-9A-Fa-f])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex HexKeyRegex();

    [GeneratedRegex(
        """(?<k>\b(?:[A-Za-z0-9]+_)*(?:PGPASSWORD|password|passwd|passphrase|pwd|client[-_]?secret|client-key-data|api[-_]?key|access[-_]?key|secret[-_]?key|secretKey)\b["']?[ \t]*[=:][ \t]*)(?<v>"[^"\r\n]*"|'[^'\r\n]*'|[^\s,;]+)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex KeyValueSecretRegex();

    [GeneratedRegex(@"(?<k>\bBearer[ \t]+)[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex BearerRegex();

    // HTTP Basic credentials (base64 of user:password): at least one digit, '+', '/' or '=' so prose ("Basic setup") stays.
    [GeneratedRegex(@"(?<k>\bBasic[ \t]+)(?=[A-Za-z]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex BasicAuthRegex();

    [GeneratedRegex(@"(?<pre>://[^/\s:@]+:)[^@\s/]+@", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex UrlCredentialRegex();

    // Bare tokens whatever surrounds them: KubeHa's API tokens (kubeha_ + 43 base64url characters) keep their prefix;
    // JSON web tokens (service account tokens, OIDC id tokens: three base64url parts, the first "eyJ") lose everything.
    [GeneratedRegex(@"(?<k>\bkubeha_)[A-Za-z0-9_-]{20,}|(?<k>)\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex BareTokenRegex();
}
