using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Remote;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Provisioning;

/// <summary>Connects to a host with its decrypted credential, refusing hosts whose key was never pinned (or approved).</summary>
public sealed class SshHostShellFactory(IDbContextFactory<KubeHaDbContext> dbFactory, ISecretProtector secrets, ISshConnector connector) : IHostShellFactory
{
    public async Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken)
    {
        ManagedHost managed;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            managed = await db.Hosts.Include(h => h.Credential).AsNoTracking().SingleAsync(h => h.Id == host.HostId, cancellationToken);
        }

        if (managed.ApprovedHostKeyFingerprint() is null)
        {
            throw new HostCheckException(HostCheckErrorKind.HostKeyMismatch, $"{managed.Address}:{managed.Port}", managed.Username,
                managed.HostKeyAwaitsApproval()
                    ? $"{managed.Name}'s host key {managed.HostKeyFingerprint} awaits approval: an operator must approve it before KubeHa connects."
                    : $"{managed.Name}'s host key was never verified: check the host first, so provisioning connects only to a pinned key.");
        }

        var session = await connector.ConnectAsync(managed.ToSshTarget(secrets), cancellationToken);
        return new SshHostShell(session);
    }
}
