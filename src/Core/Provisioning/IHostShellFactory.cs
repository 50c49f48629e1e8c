using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning;

/// <summary>Opens the shell a run uses for a host: SSH for real runs, the recorder for dry runs.</summary>
public interface IHostShellFactory
{
    Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken);
}
