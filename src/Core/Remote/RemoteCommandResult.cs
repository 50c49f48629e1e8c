namespace KubeHa.Core.Remote;

/// <summary>Outcome of one remote command. Output has secrets masked.</summary>
/// <param name="ExitCode">Exit status; -1 when the command ended by a signal without one.</param>
/// <param name="Output">Standard output (bounded; the last <see cref="RemoteCommandLimits.MaxOutputChars"/> characters).</param>
/// <param name="ErrorTail">The last lines of standard error.</param>
public sealed record RemoteCommandResult(int ExitCode, string Output, string ErrorTail)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of standard output.</summary>
    public string OutputTail => RemoteCommandLimits.Tail(Output, RemoteCommandLimits.TailLines);
}

/// <summary>Bounds on what a command result keeps in memory.</summary>
public static class RemoteCommandLimits
{
    public const int MaxOutputChars = 4 * 1024 * 1024;
    public const int TailLines = 30;

    public static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        var start = Math.Max(0, all.Length - lines - (text.EndsWith('\n') ? 1 : 0));
        return string.Join('\n', all[start..]);
    }
}
