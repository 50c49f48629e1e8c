using System.Net.Sockets;
using KubeHa.Core.Hosts;
using KubeHa.Core.Remote;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace KubeHa.Core.Tests.Remote;

public sealed class SshErrorClassifierTests
{
    private const string Secret = "s3cret-password-value";
    private static readonly SshTarget Target = new("db-1.example", 2222, "deploy", SshCredential.FromPassword(Secret), null);

    public static TheoryData<SocketError, HostCheckErrorKind, string> SocketCases => new()
    {
        { SocketError.HostNotFound, HostCheckErrorKind.Unreachable, "Cannot resolve db-1.example" },
        { SocketError.TryAgain, HostCheckErrorKind.Unreachable, "Cannot resolve db-1.example" },
        { SocketError.NoData, HostCheckErrorKind.Unreachable, "Cannot resolve db-1.example" },
        { SocketError.HostUnreachable, HostCheckErrorKind.Unreachable, "db-1.example:2222 is unreachable" },
        { SocketError.NetworkUnreachable, HostCheckErrorKind.Unreachable, "db-1.example:2222 is unreachable" },
        { SocketError.ConnectionRefused, HostCheckErrorKind.ConnectionRefused, "Connection refused by db-1.example:2222" },
        { SocketError.TimedOut, HostCheckErrorKind.Timeout, "db-1.example:2222 did not complete" },
    };

    [Theory]
    [MemberData(nameof(SocketCases))]
    public void Classify_SocketError_KindAndMessage(SocketError code, HostCheckErrorKind kind, string message)
    {
        var error = SshErrorClassifier.Classify(new SocketException((int)code), Target, TimeSpan.FromSeconds(15));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("db-1.example:2222", error.HostPort);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SocketInsideSshConnectionException_UsesSocketCode()
    {
        var error = SshErrorClassifier.Classify(
            new SshConnectionException("wrapped", new SocketException((int)SocketError.ConnectionRefused)), Target, TimeSpan.FromSeconds(1));

        Assert.Equal(HostCheckErrorKind.ConnectionRefused, error.Kind);
    }

    [Fact]
    public void Classify_Authentication_NamesUserNeverSecret()
    {
        // Even if a library message carried the secret, the operator message is ours.
        var error = SshErrorClassifier.Classify(new SshAuthenticationException($"Permission denied {Secret}"), Target, TimeSpan.FromSeconds(1));

        Assert.Equal(HostCheckErrorKind.AuthenticationFailed, error.Kind);
        Assert.Contains("user deploy on db-1.example:2222", error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong user, password or key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OperationTimeout_Timeout()
    {
        var error = SshErrorClassifier.Classify(new SshOperationTimeoutException("x"), Target, TimeSpan.FromSeconds(2));

        Assert.Equal(HostCheckErrorKind.Timeout, error.Kind);
        Assert.Contains("within 2 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_NoMoreAuthMethods_AuthenticationFailed()
    {
        var error = SshErrorClassifier.Classify(
            new SshConnectionException("x", DisconnectReason.NoMoreAuthenticationMethodsAvailable), Target, TimeSpan.FromSeconds(1));

        Assert.Equal(HostCheckErrorKind.AuthenticationFailed, error.Kind);
    }

    [Fact]
    public void Classify_AlreadyTyped_Unchanged()
    {
        var typed = new HostCheckException(HostCheckErrorKind.WrongPassphrase, "h:1", "u", "m");

        Assert.Same(typed, SshErrorClassifier.Classify(new AggregateException(typed), Target, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Target_ToString_HasNoSecret()
    {
        Assert.DoesNotContain(Secret, Target.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, Target.Credential.ToString(), StringComparison.Ordinal);
    }
}
