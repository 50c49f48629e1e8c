using System.Text;

namespace KubeHa.Core.Remote;

/// <summary>
/// Follows the quoting context of POSIX sh source as it is appended, so that <see cref="ShellScript"/> knows where a
/// value lands: in a bare word (where one single-quoted word is exact), or anywhere else — inside quotes, a comment, a
/// here-document, backticks, after a backslash or a <c>$</c> — where no single quoting is right at every nesting level
/// (<c>sh -c '... value ...'</c> is parsed twice). Tracks <c>'...'</c>, <c>"..."</c>, <c>\x</c>, <c>$( )</c> (also
/// inside double quotes), <c>( )</c>, backticks, <c># comments</c> and <c>&lt;&lt;</c> here-documents.
/// </summary>
internal sealed class ShellSyntax
{
    private readonly Stack<Frame> _frames = new([new Frame(Context.Bare)]);
    private readonly StringBuilder _line = new();
    private readonly Queue<HereDoc> _pendingHereDocs = new();
    private readonly StringBuilder _delimiter = new();
    private bool _stripTabs;
    private HereDoc? _hereDoc;
    private bool _escaped;
    private char _previous = '\n';
    private int _hereDocOperator;

    private enum Context
    {
        Bare,
        Single,
        Double,
        Backtick,
        Comment,
        HereDoc,
    }

    /// <summary>True where an appended word is read by the shell as one word: not quoted, escaped or after <c>$</c>.</summary>
    public bool AtBareWord => _frames.Peek().Kind == Context.Bare && !_escaped && _previous != '$' && _hereDocOperator == 0;

    /// <summary>True right after an unquoted <c>$</c>: whatever follows would be expanded.</summary>
    public bool AfterDollar => _previous == '$' && _frames.Peek().Kind is not (Context.Single or Context.Comment);

    /// <summary>True when everything opened has been closed (quotes, substitutions, here-documents).</summary>
    public bool IsComplete =>
        _frames.SkipWhile(f => f.Kind == Context.Comment).ToList() is [{ Kind: Context.Bare, Depth: 0 }] &&
        !_escaped && _hereDoc is null && _pendingHereDocs.Count == 0 && _hereDocOperator == 0;

    /// <summary>What is still open, for an error message.</summary>
    public string OpenConstruct => _hereDoc is not null || _pendingHereDocs.Count > 0 ? "a here-document"
        : _escaped ? "a trailing backslash"
        : _frames.Peek().Kind switch
        {
            Context.Single => "a single quote",
            Context.Double => "a double quote",
            Context.Backtick => "a backtick",
            _ => "a $( or ( group",
        };

    public void Append(string text)
    {
        foreach (var c in text)
        {
            Step(c);
            _previous = c;
        }
    }

    private void Step(char c)
    {
        var frame = _frames.Peek();
        if (_escaped)
        {
            _escaped = false;
            return;
        }

        switch (frame.Kind)
        {
            case Context.HereDoc:
                HereDocBody(c);
                return;
            case Context.Comment:
                if (c == '\n')
                {
                    _frames.Pop();
                    EndOfLine();
                }

                return;
            case Context.Single:
                if (c == '\'')
                {
                    _frames.Pop();
                }

                return;
            case Context.Backtick:
                if (c == '\\')
                {
                    _escaped = true;
                }
                else if (c == '`')
                {
                    _frames.Pop();
                }

                return;
            case Context.Double:
                Double(c);
                return;
            default:
                Bare(frame, c);
                return;
        }
    }

    private void Double(char c)
    {
        switch (c)
        {
            case '\\':
                _escaped = true;
                break;
            case '"':
                _frames.Pop();
                break;
            case '`':
                _frames.Push(new Frame(Context.Backtick));
                break;
            case '(' when _previous == '$':
                _frames.Push(new Frame(Context.Bare, substitution: true));
                break;
        }
    }

    private void Bare(Frame frame, char c)
    {
        if (_hereDocOperator > 0)
        {
            // Reading the here-document operator and its delimiter word: "<<EOF", "<<-'EOF'", "<< \"EOF\"".
            if (HereDocDelimiter(c))
            {
                return;
            }
        }

        switch (c)
        {
            case '\\':
                _escaped = true;
                break;
            case '\'':
                _frames.Push(new Frame(Context.Single));
                break;
            case '"':
                _frames.Push(new Frame(Context.Double));
                break;
            case '`':
                _frames.Push(new Frame(Context.Backtick));
                break;
            case '#' when IsWordStart(_previous):
                _frames.Push(new Frame(Context.Comment));
                break;
            case '(':
                frame.Depth++;
                break;
            case ')' when frame.Depth > 0:
                frame.Depth--;
                break;
            case ')' when frame.Substitution:
                _frames.Pop();
                break;
            case '<' when _previous == '<':
                _hereDocOperator = 1;
                break;
            case '\n':
                EndOfLine();
                break;
        }
    }

    /// <summary>Consumes the characters after "&lt;&lt;"; true when <paramref name="c"/> belonged to the operator.</summary>
    private bool HereDocDelimiter(char c)
    {
        var word = _delimiter;
        if (_hereDocOperator == 1)
        {
            if (c == '<')
            {
                // "<<<" is a here-string (bash), not a here-document.
                _hereDocOperator = 0;
                return true;
            }

            _hereDocOperator = 2;
            word.Clear();
            _stripTabs = c == '-';
            if (_stripTabs)
            {
                return true;
            }
        }

        if (word.Length == 0 && c is ' ' or '\t')
        {
            return true;
        }

        if (c is '\'' or '"' or '\\')
        {
            return true;
        }

        if (!char.IsWhiteSpace(c) && c is not (';' or '&' or '|' or '<' or '>' or ')'))
        {
            word.Append(c);
            return true;
        }

        _pendingHereDocs.Enqueue(new HereDoc(word.ToString(), _stripTabs));
        _hereDocOperator = 0;
        return false;
    }

    private void EndOfLine()
    {
        if (_pendingHereDocs.TryDequeue(out var next))
        {
            _hereDoc = next;
            _line.Clear();
            _frames.Push(new Frame(Context.HereDoc));
        }
    }

    private void HereDocBody(char c)
    {
        if (c != '\n')
        {
            _line.Append(c);
            return;
        }

        var line = _line.ToString();
        _line.Clear();
        if ((_hereDoc!.StripTabs ? line.TrimStart('\t') : line) == _hereDoc.Delimiter)
        {
            _frames.Pop();
            _hereDoc = null;
            EndOfLine();
        }
    }

    private static bool IsWordStart(char previous) => previous is ' ' or '\t' or '\n' or ';' or '&' or '|' or '(' or ')';

    private sealed class Frame(Context kind, bool substitution = false)
    {
        public Context Kind { get; } = kind;

        /// <summary>A <c>$(</c> frame: its closing parenthesis returns to the enclosing context.</summary>
        public bool Substitution { get; } = substitution;

        public int Depth { get; set; }
    }

    private sealed record HereDoc(string Delimiter, bool StripTabs);
}
