namespace KubeHa.Lab;

public sealed class LabCommandException : Exception
{
    public LabCommandException(string command, LabCommandResult result)
        : base($"lab {command} failed with exit code {result.ExitCode}: {Tail(result.Stderr)}")
    {
        Result = result;
    }

    public LabCommandException() { }

    public LabCommandException(string message) : base(message) { }

    public LabCommandException(string message, Exception inner) : base(message, inner) { }

    public LabCommandResult? Result { get; }

    private static string Tail(string s) => s.Length <= 2000 ? s : s[^2000..];
}
