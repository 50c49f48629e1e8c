using KubeHa.Core.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeHa.Core.Remote;

/// <summary>
/// SSH.NET-based <see cref="ISshConnector"/>. The host key is checked in the key exchange, before any credential is
/// used: a pinned key must match; with nothing pinned, a private key is used on first contact (trust on first use: a
/// public-key signature is bound to this session and is worthless to the host), but a password never is: the
/// connection ends with <see cref="HostKeyApprovalRequiredException"/> so an operator can approve the key first.
/// </summary>
public sealed partial class SshConnector(IOptions<SshOptions> options, ILogger<SshConnector> logger) : ISshConnector
{
    public async Task<SshSession> ConnectAsync(SshTarget target, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var authentication = CreateAuthentication(target);
        var info = new ConnectionInfo(target.Address, target.Port, target.Username, authentication)
        {
            Timeout = settings.ConnectTimeout,
        };

        HostKeyInfo? presented = null;
        var mismatch = false;
        var needsApproval = false;
        var client = new SshClient(info) { KeepAliveInterval = settings.KeepAliveInterval };
        client.HostKeyReceived += (_, e) =>
        {
            presented = new HostKeyInfo(SshFingerprint.KeyType(e.HostKey), SshFingerprint.Sha256(e.HostKey));
            mismatch = target.PinnedHostKeyFingerprint is not null &&
                !string.Equals(target.PinnedHostKeyFingerprint, presented.Fingerprint, StringComparison.Ordinal);
            needsApproval = target.PinnedHostKeyFingerprint is null && target.Credential.Kind == CredentialKind.Password;
            e.CanTrust = !mismatch && !needsApproval; // refused here, the connection ends before authentication
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.ConnectTimeout);
        try
        {
            LogConnecting(logger, target.HostPort, target.Username);
            await client.ConnectAsync(deadline.Token);
        }
        catch (Exception ex)
        {
            SshMetrics.Failed.Add(1);
            client.Dispose();
            DisposeAll(authentication);
            if (needsApproval && presented is not null)
            {
                LogHostKeyNeedsApproval(logger, target.HostPort, presented.Fingerprint);
                throw new HostKeyApprovalRequiredException(target, presented);
            }

            if (mismatch && presented is not null)
            {
                LogHostKeyMismatch(logger, target.HostPort, target.PinnedHostKeyFingerprint!, presented.Fingerprint);
                throw new HostKeyMismatchException(target, target.PinnedHostKeyFingerprint!, presented);
            }

            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            var error = ex is OperationCanceledException
                ? SshErrorClassifier.TimedOut(target, settings.ConnectTimeout, ex)
                : SshErrorClassifier.Classify(ex, target, settings.ConnectTimeout);
            LogConnectFailed(logger, target.HostPort, target.Username, error.Kind);
            throw error;
        }

        if (presented is null)
        {
            client.Dispose();
            DisposeAll(authentication);
            throw new InvalidOperationException("SSH.NET completed the connection without reporting a host key.");
        }

        SshMetrics.Opened.Add(1);
        LogConnected(logger, target.HostPort, target.Username, presented.Algorithm, presented.Fingerprint);
        return new SshSession(client, target, presented, authentication, logger);
    }

    private static AuthenticationMethod[] CreateAuthentication(SshTarget target)
    {
        var credential = target.Credential;
        if (credential.Kind == CredentialKind.PrivateKey)
        {
            return [new PrivateKeyAuthenticationMethod(target.Username, SshPrivateKeyLoader.Load(target))];
        }

        var password = credential.Password!;
        var keyboard = new KeyboardInteractiveAuthenticationMethod(target.Username);

        // PAM-only servers ask through keyboard-interactive; answer every prompt with the password.
        keyboard.AuthenticationPrompt += (_, e) =>
        {
            foreach (var prompt in e.Prompts)
            {
                prompt.Response = password;
            }
        };
        return [new PasswordAuthenticationMethod(target.Username, password), keyboard];
    }

    internal static void DisposeAll(AuthenticationMethod[] methods)
    {
        foreach (var method in methods.OfType<IDisposable>())
        {
            method.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connecting to {HostPort} as {Username}")]
    private static partial void LogConnecting(ILogger logger, string hostPort, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {HostPort} as {Username}, host key {Algorithm} {Fingerprint}")]
    private static partial void LogConnected(ILogger logger, string hostPort, string username, string algorithm, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host key mismatch on {HostPort}: pinned {Pinned}, presented {Presented}; connection refused")]
    private static partial void LogHostKeyMismatch(ILogger logger, string hostPort, string pinned, string presented);

    [LoggerMessage(Level = LogLevel.Information, Message = "First contact with {HostPort} using a password: host key {Presented} recorded, not authenticating until an operator approves it")]
    private static partial void LogHostKeyNeedsApproval(ILogger logger, string hostPort, string presented);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to {HostPort} as {Username} failed: {Kind}")]
    private static partial void LogConnectFailed(ILogger logger, string hostPort, string username, Hosts.HostCheckErrorKind kind);
}
