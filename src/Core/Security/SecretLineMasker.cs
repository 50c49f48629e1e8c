using System.Text.RegularExpressions;

namespace KubeHa.Core.Security;

/// <summary>
/// Masks one stream of output that arrives line by line (a command's stdout or stderr), remembering what a single line
/// cannot show: the body of a private-key block between its BEGIN and END lines, and a value printed on the line after
/// its key (<c>client-key-data:</c>, <c>token:</c>, <c>password:</c>, kubeadm's <c>Using certificate key:</c>).
/// Each line also goes through <paramref name="maskLine"/> (a <see cref="KnownSecretMasker"/>). One instance per stream; not thread-safe.
/// </summary>
public sealed partial class SecretLineMasker(Func<string, string> maskLine)
{
    private bool _inPrivateKey;
    private bool _valueOnNextLine;

    public string Apply(string line)
    {
        if (_inPrivateKey)
        {
            if (line.Contains("-----END ", StringComparison.Ordinal))
            {
                _inPrivateKey = false;
                var end = line.IndexOf("-----END ", StringComparison.Ordinal);
                return (end > 0 ? SecretMasker.Mask + " " : string.Empty) + line[end..];
            }

            return SecretMasker.Mask;
        }

        var masked = maskLine(line);
        if (_valueOnNextLine && !string.IsNullOrWhiteSpace(line))
        {
            _valueOnNextLine = false;
            masked = line[..(line.Length - line.TrimStart().Length)] + SecretMasker.Mask;
        }

        if (PrivateKeyBeginRegex().Match(line) is { Success: true } begin && line.IndexOf("-----END ", begin.Index, StringComparison.Ordinal) < 0)
        {
            _inPrivateKey = true;
        }
        else if (DanglingSecretKeyRegex().IsMatch(line))
        {
            _valueOnNextLine = true;
        }

        return masked;
    }

    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex PrivateKeyBeginRegex();

    // A secret's key ending the line, its value to come on the next one (YAML, kubeadm's "Using certificate key:").
    [GeneratedRegex(
        """\b(?:[A-Za-z0-9]+_)*(?:client-key-data|token|tlsBootstrapToken|certificateKey|certificate key|password|passwd|passphrase|client[-_]?secret|secret[-_]?key|api[-_]?key)["']?[ \t]*:[ \t]*[|>]?[-+]?[ \t]*$""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 2000)]
    private static partial Regex DanglingSecretKeyRegex();
}
