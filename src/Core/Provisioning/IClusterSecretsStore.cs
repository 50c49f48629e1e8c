namespace KubeHa.Core.Provisioning;

/// <summary>Loads and saves a cluster's join material and admin kubeconfig, encrypted at rest.</summary>
public interface IClusterSecretsStore
{
    Task<JoinMaterial> LoadAsync(int clusterId, CancellationToken cancellationToken);

    /// <summary>Saved BEFORE the secrets are used on a host, so a crash right after never loses them.</summary>
    Task SaveAsync(int clusterId, JoinMaterial material, CancellationToken cancellationToken);

    Task SaveKubeconfigAsync(int clusterId, string kubeconfig, CancellationToken cancellationToken);

    /// <summary>Forgets everything (after a full reset).</summary>
    Task ClearAsync(int clusterId, CancellationToken cancellationToken);
}
