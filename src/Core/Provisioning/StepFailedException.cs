namespace KubeHa.Core.Provisioning;

/// <summary>
/// A command a step needed failed on a host. The message names the host, the command (first line, secrets masked),
/// the exit code and the last lines of output; the executor adds the step.
/// </summary>
public sealed class StepFailedException : Exception
{
    public StepFailedException(string hostName, string command, int? exitCode, string outputTail, string? reason = null)
        : base(Describe(hostName, command, exitCode, outputTail, reason))
    {
        HostName = hostName;
        Command = command;
        ExitCode = exitCode;
        OutputTail = outputTail;
    }

    public string HostName { get; }

    public string Command { get; }

    public int? ExitCode { get; }

    /// <summary>Last output lines, masked.</summary>
    public string OutputTail { get; }

    private static string Describe(string host, string command, int? exitCode, string tail, string? reason)
    {
        var head = reason ?? $"`{command}` failed on {host}" + (exitCode is { } code ? $" with exit code {code}." : ".");
        return string.IsNullOrWhiteSpace(tail) ? head : $"{head}\nLast output:\n{tail.TrimEnd()}";
    }
}
