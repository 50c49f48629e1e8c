namespace KubeHa.Core.Remote;

/// <summary>POSIX shell quoting.</summary>
public static class ShellQuote
{
    /// <summary>Wraps a value in single quotes, escaping embedded single quotes: it reaches the command as one literal word.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
