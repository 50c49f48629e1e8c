using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Provisioning;

/// <summary>Join material and kubeconfig on the Cluster row, encrypted with <see cref="ISecretProtector"/>.</summary>
public sealed class ClusterSecretsStore(IDbContextFactory<KubeHaDbContext> dbFactory, ISecretProtector protector) : IClusterSecretsStore
{
    public async Task<JoinMaterial> LoadAsync(int clusterId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var c = await db.Clusters.AsNoTracking().SingleAsync(x => x.Id == clusterId, cancellationToken);
        return new JoinMaterial
        {
            BootstrapToken = c.ProtectedBootstrapToken is null ? null : protector.Unprotect(c.ProtectedBootstrapToken),
            TokenExpiresAt = c.BootstrapTokenExpiresAt,
            CertificateKey = c.ProtectedCertificateKey is null ? null : protector.Unprotect(c.ProtectedCertificateKey),
            CertificatesUploadedAt = c.CertificatesUploadedAt,
            CaCertHash = c.CaCertHash,
        };
    }

    public async Task SaveAsync(int clusterId, JoinMaterial material, CancellationToken cancellationToken)
    {
        var token = material.BootstrapToken is null ? null : protector.Protect(material.BootstrapToken);
        var key = material.CertificateKey is null ? null : protector.Protect(material.CertificateKey);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.ProtectedBootstrapToken, token)
            .SetProperty(c => c.BootstrapTokenExpiresAt, material.TokenExpiresAt)
            .SetProperty(c => c.ProtectedCertificateKey, key)
            .SetProperty(c => c.CertificatesUploadedAt, material.CertificatesUploadedAt)
            .SetProperty(c => c.CaCertHash, material.CaCertHash), cancellationToken);
    }

    public async Task SaveKubeconfigAsync(int clusterId, string kubeconfig, CancellationToken cancellationToken)
    {
        var protectedConfig = protector.Protect(kubeconfig);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedKubeconfig, protectedConfig), cancellationToken);
    }

    public async Task ClearAsync(int clusterId, CancellationToken cancellationToken)
    {
        await SaveAsync(clusterId, new JoinMaterial(), cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedKubeconfig, (string?)null), cancellationToken);
    }
}
