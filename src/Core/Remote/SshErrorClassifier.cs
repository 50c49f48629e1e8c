using System.Net.Sockets;
using KubeHa.Core.Hosts;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace KubeHa.Core.Remote;

/// <summary>
/// Maps what SSH.NET and sockets throw to <see cref="HostCheckException"/> by exception type and error code,
/// never by message text. Messages name host:port and user, never a secret.
/// </summary>
public static class SshErrorClassifier
{
    public static HostCheckException Classify(Exception exception, SshTarget target, TimeSpan connectTimeout)
    {
        switch (exception)
        {
            case HostCheckException known:
                return known;
            case AggregateException { InnerExceptions.Count: 1 } aggregate:
                return Classify(aggregate.InnerExceptions[0], target, connectTimeout);
            case SocketException socket:
                return FromSocket(socket, target, connectTimeout);
            case SshAuthenticationException:
                return Error(HostCheckErrorKind.AuthenticationFailed, target, exception,
                    $"Authentication failed for user {target.Username} on {target.HostPort}: wrong user, password or key.");
            case SshOperationTimeoutException:
            case TimeoutException:
                return TimedOut(target, connectTimeout, exception);
            case SshConnectionException connection when connection.InnerException is SocketException inner:
                return FromSocket(inner, target, connectTimeout);
            case SshConnectionException { DisconnectReason: DisconnectReason.NoMoreAuthenticationMethodsAvailable or DisconnectReason.IllegalUserName }:
                return Error(HostCheckErrorKind.AuthenticationFailed, target, exception,
                    $"Authentication failed for user {target.Username} on {target.HostPort}: wrong user, password or key (the server ended the session).");
            case SshConnectionException:
                return Error(HostCheckErrorKind.Unreachable, target, exception,
                    $"{target.HostPort} closed the SSH session before it was established: is it an SSH server, and does it allow {target.Username}?");
            default:
                return Error(HostCheckErrorKind.Unreachable, target, exception,
                    $"Cannot connect to {target.HostPort} as {target.Username}: {exception.GetType().Name}.");
        }
    }

    /// <summary>The connect budget ran out (SSH.NET timeout or our own deadline).</summary>
    public static HostCheckException TimedOut(SshTarget target, TimeSpan connectTimeout, Exception? inner = null) =>
        Error(HostCheckErrorKind.Timeout, target, inner,
            $"{target.HostPort} did not complete the SSH handshake within {connectTimeout.TotalSeconds:0.#} s: the port answers but no SSH server responds in time, or the network drops packets.");

    private static HostCheckException FromSocket(SocketException socket, SshTarget target, TimeSpan connectTimeout) =>
        socket.SocketErrorCode switch
        {
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                Error(HostCheckErrorKind.Unreachable, target, socket,
                    $"Cannot resolve {target.Address}: no DNS record for that name (check the address)."),
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown or SocketError.AddressNotAvailable =>
                Error(HostCheckErrorKind.Unreachable, target, socket,
                    $"{target.HostPort} is unreachable: no route to the host (is it up, is the address right?)."),
            SocketError.ConnectionRefused =>
                Error(HostCheckErrorKind.ConnectionRefused, target, socket,
                    $"Connection refused by {target.HostPort}: nothing listens on that port (is sshd running, is the port right?)."),
            SocketError.TimedOut =>
                TimedOut(target, connectTimeout, socket),
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown =>
                Error(HostCheckErrorKind.Unreachable, target, socket,
                    $"{target.HostPort} dropped the connection during the SSH handshake."),
            _ => Error(HostCheckErrorKind.Unreachable, target, socket,
                $"Cannot connect to {target.HostPort}: socket error {socket.SocketErrorCode}."),
        };

    private static HostCheckException Error(HostCheckErrorKind kind, SshTarget target, Exception? inner, string message) =>
        new(kind, target.HostPort, target.Username, message, inner);
}
