using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Clusters;

/// <summary>
/// Decrypts a cluster's admin kubeconfig for download. The caller checks the role and records the download; the
/// kubeconfig itself never reaches a log or an exception message.
/// </summary>
public sealed class KubeconfigReader(IDbContextFactory<KubeHaDbContext> dbFactory, ISecretProtector protector)
{
    /// <summary>Null when the cluster does not exist; <see cref="StoredKubeconfig.Content"/> null until provisioning fetched one.</summary>
    public async Task<StoredKubeconfig?> ReadAsync(int clusterId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId)
            .Select(c => new { c.Name, c.ProtectedKubeconfig }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : new StoredKubeconfig(row.Name, row.ProtectedKubeconfig is null ? null : protector.Unprotect(row.ProtectedKubeconfig));
    }
}
