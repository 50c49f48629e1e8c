using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace KubeHa.Core.Remote;

/// <summary>
/// A POSIX sh script (or command line) for a remote host, and the only way KubeHa builds one: write it as an
/// interpolated string, <c>host.RunAsync($"kubectl drain {node} --timeout=300s")</c>, and every hole is made safe here.
/// <list type="bullet">
/// <item>A <see cref="string"/> in a bare word becomes exactly one word: left as is when it has only
/// <c>[A-Za-z0-9_./:@+,=-]</c>, else single-quoted (<c>'w1;touch x;#'</c>).</item>
/// <item>Inside quotes, a comment, a here-document, backticks or after <c>\</c>, a value is accepted only when it has
/// only those safe characters (it is literal at any nesting depth, e.g. inside <c>bash -c '...'</c>); anything else
/// throws <see cref="ShellScriptException"/>. A hole right after <c>$</c> always throws.</item>
/// <item>Numbers are written as they are; a <see cref="ShellScript"/> hole is a vetted fragment inserted verbatim (in a
/// bare word); an <see cref="IEnumerable{T}"/> of strings becomes one quoted word each.</item>
/// </list>
/// Literal text is the code's own. There is no conversion from <see cref="string"/>: a script cannot be made by
/// concatenating text. A script whose quotes, <c>$(</c> or here-documents are left open is refused when used.
/// </summary>
[InterpolatedStringHandler]
public sealed class ShellScript
{
    private readonly StringBuilder _text;
    private readonly ShellSyntax _syntax = new();
    private string? _final;
    private string _lastLiteral = string.Empty;

    public ShellScript(int literalLength, int formattedCount)
    {
        _text = new StringBuilder(literalLength + (formattedCount * 16));
    }

    /// <summary>The script text: complete (every quote and substitution closed), ready to run.</summary>
    public string Text => _final ??= Finish();

    /// <summary>Joins scripts, one per line.</summary>
    public static ShellScript Lines(IEnumerable<ShellScript> lines)
    {
        var script = new ShellScript(0, 0);
        var first = true;
        foreach (var line in lines)
        {
            if (!first)
            {
                script.AppendLiteral("\n");
            }

            script.AppendFormatted(line);
            first = false;
        }

        return script;
    }

    /// <summary>One shell word that reads back as exactly <paramref name="value"/>: as is when only safe characters, else single-quoted.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RefuseNul(value);
        return IsSafe(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>True when <paramref name="value"/> is non-empty and has only <c>[A-Za-z0-9_./:@+,=-]</c>: literal anywhere in a script.</summary>
    public static bool IsSafe(string value) => value.Length > 0 && value.All(IsSafe);

    public void AppendLiteral(string value)
    {
        EnsureOpen();
        _lastLiteral = value;
        Write(value);
    }

    public void AppendFormatted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureOpen();
        RefuseAfterDollar();
        if (_syntax.AtBareWord)
        {
            Write(Quote(value));
            return;
        }

        RefuseNul(value);
        if (!IsSafe(value))
        {
            throw new ShellScriptException(
                $"A value with characters other than letters, digits and _./:@+,=- was placed inside quotes, a comment or a here-document (after \"{Tail()}\"); no quoting is exact there. Put it outside quotes, as its own word.");
        }

        Write(value);
    }

    public void AppendFormatted(char value) => AppendFormatted(value.ToString());

    public void AppendFormatted(int value) => AppendNumber(value.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted(long value) => AppendNumber(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A fragment built the same way (a command prefix, a step's sub-script): inserted verbatim in a bare word.</summary>
    public void AppendFormatted(ShellScript fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        EnsureOpen();
        RefuseAfterDollar();
        var text = fragment.Text;
        if (!_syntax.AtBareWord && !IsSafe(text))
        {
            throw new ShellScriptException($"A script fragment was placed inside quotes, a comment or a here-document (after \"{Tail()}\"): put it in a bare word, or pass its Text to quote it as one word.");
        }

        Write(text);
    }

    /// <summary>Several words (arguments), each quoted; empty: nothing.</summary>
    public void AppendFormatted(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var first = true;
        foreach (var word in words)
        {
            if (!first)
            {
                AppendLiteral(" ");
            }

            AppendFormatted(word);
            first = false;
        }
    }

    public override string ToString() => Text;

    private void AppendNumber(string digits)
    {
        EnsureOpen();
        RefuseAfterDollar();
        Write(digits);
    }

    private void Write(string text)
    {
        _text.Append(text);
        _syntax.Append(text);
    }

    private void EnsureOpen()
    {
        if (_final is not null)
        {
            throw new InvalidOperationException("This script has been used already and cannot be extended.");
        }
    }

    private void RefuseAfterDollar()
    {
        if (_syntax.AfterDollar)
        {
            throw new ShellScriptException($"A value was placed right after '$' (after \"{Tail()}\"): the shell would expand it.");
        }
    }

    private string Finish()
    {
        if (!_syntax.IsComplete)
        {
            throw new ShellScriptException($"The script leaves {_syntax.OpenConstruct} open (ends with \"{Tail()}\").");
        }

        return _text.ToString();
    }

    /// <summary>The end of the last literal (the code's own text, never a value): where the problem is.</summary>
    private string Tail() => _lastLiteral[Math.Max(0, _lastLiteral.Length - 40)..].Replace("\n", "\\n", StringComparison.Ordinal);

    private static void RefuseNul(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ShellScriptException("A value contains a NUL character, which no shell word can carry.");
        }
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '@' or '+' or ',' or '=' or '-';
}
