using KubeHa.Core.Hosts;

namespace KubeHa.Core.Remote;

/// <summary>A remote command exited non-zero (or by a signal) where success was required.</summary>
public sealed class RemoteCommandFailedException : HostCheckException
{
    public RemoteCommandFailedException(SshTarget target, string commandName, RemoteCommandResult result)
        : base(
            HostCheckErrorKind.CommandFailed,
            target.HostPort,
            target.Username,
            $"'{commandName}' failed on {target.HostPort} as {target.Username} with exit code {result.ExitCode}" +
            (string.IsNullOrWhiteSpace(result.ErrorTail) ? "." : $": {result.ErrorTail.Trim()}"))
    {
        CommandName = commandName;
        ExitCode = result.ExitCode;
        ErrorTail = result.ErrorTail;
    }

    /// <summary>A short name of what ran (not necessarily the full command text).</summary>
    public string CommandName { get; }

    public int ExitCode { get; }

    /// <summary>Last lines of stderr, already masked.</summary>
    public string ErrorTail { get; }
}
