using System.Text;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Diagnostics;

/// <summary>One logical line of kubeadm output, cleaned of what was pasted along with it.</summary>
/// <param name="Number">1-based number of its first physical line.</param>
/// <param name="Text">The content: prompt, klog header, syslog/CI prefixes and quote markers removed, trimmed.</param>
/// <param name="KlogLevel">I, W, E or F when the line had a klog header; '\0' otherwise.</param>
/// <param name="AtPrompt">True when the line was typed at a shell prompt (a command, not output).</param>
internal sealed record KubeadmLine(int Number, string Text, char KlogLevel, bool AtPrompt);

/// <summary>
/// Turns pasted kubeadm output into logical lines: handles CRLF, tabs or spaces, ANSI colours, shell prompts
/// (<c>root@cp1:~# </c>, <c>[root@m1 ~]# </c>, <c>$ </c>), <c>&gt; </c> continuations and quotes, klog headers
/// (<c>I0612 10:00:00.123456   1234 file.go:12] </c>), syslog and CI prefixes, <c>\</c> continuations and
/// lines a terminal or an issue tracker wrapped.
/// </summary>
internal static partial class KubeadmLineReader
{
    /// <summary>Longest logical line kept; the rest is cut (it only ever holds more of the same message).</summary>
    public const int MaxLineChars = 8192;

    private const int TimeoutMs = 2000;

    public static List<KubeadmLine> Read(string text)
    {
        text = UnescapeJsonOutput(text);
        var lines = new List<KubeadmLine>();
        var number = 0;
        StringBuilder? pending = null;
        var pendingNumber = 0;
        var pendingLevel = '\0';
        var pendingPrompt = false;

        void Flush()
        {
            if (pending is { Length: > 0 })
            {
                lines.Add(new KubeadmLine(pendingNumber, pending.ToString().Trim(), pendingLevel, pendingPrompt));
            }

            pending = null;
        }

        foreach (var span in text.AsSpan().EnumerateLines())
        {
            number++;
            var physical = span.TrimEnd().ToString();
            var (content, level, atPrompt, indented) = Clean(physical);

            if (pending is not null && EndsWithContinuation(pending))
            {
                // "kubeadm join ... \" followed by "	--discovery-token-ca-cert-hash ..." (or "> --..." after a prompt).
                pending.Length -= 1;
                AppendBounded(pending, " ", content.Trim());
                continue;
            }

            if (pending is not null && content.Length > 0 && !indented && IsWrappedTail(pending, content))
            {
                var separator = pending.Length >= 60 && !char.IsWhiteSpace(pending[^1]) && content[0] != ',' ? string.Empty : " ";
                AppendBounded(pending, separator, content.Trim());
                continue;
            }

            Flush();
            if (content.Length == 0)
            {
                continue;
            }

            pending = new StringBuilder(content.Trim());
            pendingNumber = number;
            pendingLevel = level;
            pendingPrompt = atPrompt;
        }

        Flush();
        return lines;
    }

    private static (string Content, char Level, bool AtPrompt, bool Indented) Clean(string line)
    {
        if (line.Contains('\u001b', StringComparison.Ordinal))
        {
            line = AnsiRegex().Replace(line, string.Empty);
        }

        if (line.Contains("#011", StringComparison.Ordinal))
        {
            line = line.Replace("#011", "\t", StringComparison.Ordinal); // syslog escapes tabs
        }

        line = WrapperPrefixRegex().Replace(line, string.Empty, 1);

        var quote = QuoteRegex().Match(line);
        if (quote.Success)
        {
            line = line[quote.Length..];
        }

        var atPrompt = false;
        var prompt = PromptRegex().Match(line);
        if (prompt.Success)
        {
            atPrompt = true;
            line = line[prompt.Length..];
        }

        var level = '\0';
        var klog = KlogRegex().Match(line.TrimStart());
        if (klog.Success)
        {
            level = klog.Groups["level"].Value[0];
            line = line.TrimStart()[klog.Length..];
        }

        var indented = line.Length > 0 && char.IsWhiteSpace(line[0]);
        if (line.Length > MaxLineChars)
        {
            line = line[..MaxLineChars];
        }

        return (line, level, atPrompt, indented);
    }

    // Ansible and other tools print a command's output as a JSON string ("stderr": "line\nline"): split it.
    private static string UnescapeJsonOutput(string text)
    {
        if (!text.Contains("\"stderr\": \"", StringComparison.Ordinal) && !text.Contains("\"stdout\": \"", StringComparison.Ordinal))
        {
            return text;
        }

        return text.Replace("\\n", "\n", StringComparison.Ordinal)
            .Replace("\\t", "\t", StringComparison.Ordinal)
            .Replace("\\\"", "\"", StringComparison.Ordinal);
    }

    private static bool EndsWithContinuation(StringBuilder sb) => sb.Length > 0 && sb[^1] == '\\';

    // A line continuing an error record that was wrapped: kubeadm never starts a record without "[", "error",
    // a klog header or indentation, so an unindented fragment right after an error line belongs to it.
    private static bool IsWrappedTail(StringBuilder previous, string content)
    {
        var prev = previous.ToString();
        var prevTrim = prev.TrimStart();
        var isRecord = prevTrim.StartsWith("[ERROR ", StringComparison.Ordinal)
            || prevTrim.StartsWith("[WARNING ", StringComparison.Ordinal)
            || prevTrim.StartsWith("error execution phase", StringComparison.Ordinal)
            || prevTrim.StartsWith("error: ", StringComparison.Ordinal);
        if (!isRecord)
        {
            return false;
        }

        var next = content.TrimStart();
        if (next[0] == ',')
        {
            return true; // "... output: <runtime message>\n, error: exit status 1"
        }

        return next[0] != '['
            && !next.StartsWith("error", StringComparison.OrdinalIgnoreCase)
            && !next.StartsWith("To see the stack trace", StringComparison.Ordinal)
            && !next.StartsWith("Unfortunately", StringComparison.Ordinal)
            && !next.StartsWith("kubeadm ", StringComparison.Ordinal)
            && !next.StartsWith("k8s.io/", StringComparison.Ordinal)
            && !next.StartsWith("github.com/", StringComparison.Ordinal)
            && !next.StartsWith("runtime.", StringComparison.Ordinal)
            && !next.StartsWith("main.", StringComparison.Ordinal)
            && !next.Contains(".go:", StringComparison.Ordinal);
    }

    private static void AppendBounded(StringBuilder sb, string separator, string text)
    {
        var room = MaxLineChars - sb.Length - separator.Length;
        if (room <= 0)
        {
            return;
        }

        sb.Append(separator).Append(text.Length > room ? text[..room] : text);
    }

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex AnsiRegex();

    // "[2021-04-15 20:24:46] ", "Jul 23 03:14:01 host unit[123]: ", "module.k8s.null_resource.x (remote-exec): ".
    [GeneratedRegex(
        @"^(?:\[\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?\] |[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \S+ [^\s:]+: |\S+ \(remote-exec\): )",
        RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex WrapperPrefixRegex();

    [GeneratedRegex(@"^(?:> ?)+(?=\S|\t| {2,})", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex QuoteRegex();

    // user@host:~# , user@host:~$ , [root@host ~]# , (venv) user@host:/x$ , $ , #  (the last two only before a command)
    [GeneratedRegex(
        @"^\s*(?:\([^)\s]{1,40}\)\s*)?(?:[\w.-]{1,64}@[\w.-]{1,64}(?::[^\s#$%]{0,200})?\s?[#$%]\s?|\[[\w.-]{1,64}@[\w.-]{1,64}(?: [^\]\r\n]{0,200})?\][#$]\s?|[#$]\s+(?=(?:sudo|kubeadm|kubectl|systemctl)\b))",
        RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PromptRegex();

    [GeneratedRegex(@"^(?<level>[IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d{1,9}\s+\d+\s+[^\s\]]+:\d+\]\s?", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex KlogRegex();
}
