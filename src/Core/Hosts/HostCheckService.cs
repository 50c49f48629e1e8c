using KubeHa.Core.Credentials;
using KubeHa.Core.Persistence;
using KubeHa.Core.Remote;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Hosts;

/// <summary>
/// Checks one host: marks it Running, connects with its decrypted credential, pins the host key on first contact
/// with a private key (trust on first use) or records it for an operator's approval with a password (which is then
/// not sent), refuses a changed one, verifies sudo, gathers facts, and records Succeeded or Failed with
/// a typed error kind. Secrets live only in memory for the duration of the check and never reach logs or messages.
/// Every check is bounded by <see cref="SshOptions.CheckTimeout"/>: a host that stalls after the login fails with
/// <see cref="HostCheckErrorKind.Timeout"/> and can be checked again.
/// </summary>
public sealed partial class HostCheckService(
    IDbContextFactory<KubeHaDbContext> dbFactory,
    ISecretProtector secrets,
    ISshConnector connector,
    InventoryEvents events,
    IOptions<SshOptions> options,
    TimeProvider time,
    ILogger<HostCheckService> logger) : IHostCheckService
{
    public async Task CheckAsync(int hostId, CancellationToken cancellationToken)
    {
        ManagedHost host;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var found = await db.Hosts.Include(h => h.Credential).SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken);
            if (found is null)
            {
                LogHostMissing(logger, hostId);
                return;
            }

            host = found;
            host.CheckStatus = HostCheckStatus.Running;
            host.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        events.PublishHostChanged(hostId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HostId"] = hostId, ["Host"] = host.Name });
        LogCheckStarted(logger, host.Name, host.Address, host.Port);

        Outcome outcome;
        IEnumerable<string> knownSecrets = [];
        var limit = options.Value.CheckTimeout;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(limit);
        try
        {
            var target = host.ToSshTarget(secrets);
            knownSecrets = target.Credential.Secrets;
            outcome = await CheckAsync(target, budget.Token).WaitAsync(budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = Outcome.Failed(HostCheckErrorKind.Timeout,
                $"The check did not finish within {limit.TotalSeconds:0.#} s: {host.Address}:{host.Port} stopped answering. Check the host and run the check again.");
        }
        catch (HostKeyApprovalRequiredException ex)
        {
            outcome = Outcome.Failed(ex.Kind, ex.Message) with { Unapproved = ex.Presented };
        }
        catch (HostCheckException ex)
        {
            outcome = Outcome.Failed(ex.Kind, ex.Message);
        }
        catch (SecretUnreadableException ex)
        {
            outcome = Outcome.Failed(HostCheckErrorKind.InvalidCredential, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // No "cancelled" kind exists; Timeout is the closest stable value. Recorded under its own bounded token.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await RecordAsync(hostId, Outcome.Failed(HostCheckErrorKind.Timeout, "The check was cancelled before it finished."), cleanup.Token);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(logger, ex.GetType().Name, ex);
            outcome = Outcome.Failed(HostCheckErrorKind.CommandFailed, $"The check failed unexpectedly ({ex.GetType().Name}).");
        }

        // Last line of defence: whatever the path, a stored message never carries a secret.
        if (outcome.Error is not null)
        {
            outcome = outcome with { Error = new KnownSecretMasker(knownSecrets).Apply(outcome.Error) };
        }

        await RecordAsync(hostId, outcome, cancellationToken);
    }

    private async Task<Outcome> CheckAsync(SshTarget target, CancellationToken cancellationToken)
    {
        using var session = await connector.ConnectAsync(target, cancellationToken);
        var pin = session.IsFirstContact ? session.HostKey : null;
        if (pin is not null)
        {
            LogPinned(logger, pin.Algorithm, pin.Fingerprint);
        }

        try
        {
            var facts = await HostFactsGatherer.GatherAsync(session, time, cancellationToken);
            return new Outcome(HostCheckStatus.Succeeded, null, null, facts, pin);
        }
        catch (HostCheckException ex)
        {
            // The key was verified by the connection itself; pin it even when sudo or facts fail.
            return Outcome.Failed(ex.Kind, ex.Message) with { Pin = pin };
        }
    }

    private async Task RecordAsync(int hostId, Outcome outcome, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken);
            if (host is null)
            {
                LogHostMissing(logger, hostId);
                return;
            }

            var now = time.GetUtcNow();
            host.CheckStatus = outcome.Status;
            host.CheckErrorKind = outcome.Kind;
            host.CheckError = outcome.Error;
            host.CheckedAt = now;
            host.UpdatedAt = now;
            if (outcome.Facts is not null)
            {
                host.Facts = outcome.Facts;
            }

            // Pin only if nothing was pinned meanwhile: a mismatch never reaches here with a pin. A key presented to a
            // password credential is only recorded; it is pinned when an operator approves it.
            if (outcome.Pin is not null && host.HostKeyPinnedAt is null)
            {
                host.HostKeyAlgorithm = outcome.Pin.Algorithm;
                host.HostKeyFingerprint = outcome.Pin.Fingerprint;
                host.HostKeyPinnedAt = now;
            }
            else if (outcome.Unapproved is not null && host.HostKeyPinnedAt is null)
            {
                host.HostKeyAlgorithm = outcome.Unapproved.Algorithm;
                host.HostKeyFingerprint = outcome.Unapproved.Fingerprint;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        if (outcome.Status == HostCheckStatus.Succeeded)
        {
            LogCheckSucceeded(logger);
        }
        else
        {
            LogCheckFailed(logger, outcome.Kind, outcome.Error);
        }

        events.PublishHostChanged(hostId);
    }

    private sealed record Outcome(HostCheckStatus Status, HostCheckErrorKind? Kind, string? Error, HostFacts? Facts, HostKeyInfo? Pin)
    {
        /// <summary>A key presented on first contact with a password credential: recorded, not pinned.</summary>
        public HostKeyInfo? Unapproved { get; init; }

        public static Outcome Failed(HostCheckErrorKind? kind, string error) => new(HostCheckStatus.Failed, kind, error, null, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host {HostId} no longer exists; check skipped")]
    private static partial void LogHostMissing(ILogger logger, int hostId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking host {HostName} at {Address}:{Port}")]
    private static partial void LogCheckStarted(ILogger logger, string hostName, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "First contact: pinning host key {Algorithm} {Fingerprint}")]
    private static partial void LogPinned(ILogger logger, string algorithm, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host check succeeded")]
    private static partial void LogCheckSucceeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host check failed ({Kind}): {Error}")]
    private static partial void LogCheckFailed(ILogger logger, HostCheckErrorKind? kind, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Host check failed unexpectedly ({ExceptionType})")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, Exception exception);
}
