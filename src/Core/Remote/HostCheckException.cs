using KubeHa.Core.Hosts;

namespace KubeHa.Core.Remote;

/// <summary>
/// An SSH operation against a host failed. <see cref="Kind"/> is what callers branch on; <see cref="Exception.Message"/>
/// is for operators: it names host:port and user and never contains a secret.
/// </summary>
public class HostCheckException : Exception
{
    public HostCheckException(HostCheckErrorKind kind, string hostPort, string username, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        HostPort = hostPort;
        Username = username;
    }

    public HostCheckErrorKind Kind { get; }

    /// <summary>"host:port" the operation targeted.</summary>
    public string HostPort { get; }

    public string Username { get; }
}
