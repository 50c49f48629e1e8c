using KubeHa.Core.Clusters;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning;

/// <summary>Dry-run shells for every host (plan preview; tests inject a responder to fail chosen commands).</summary>
public sealed class DryRunHostShellFactory(Func<ClusterMember, string, RemoteCommandResult?>? responder = null) : IHostShellFactory
{
    public Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken) =>
        Task.FromResult<IHostShell>(new DryRunHostShell(responder is null ? null : script => responder(host, script)));
}
