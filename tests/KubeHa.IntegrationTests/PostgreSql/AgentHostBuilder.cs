using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.IntegrationTests.Provisioning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>An executor on a PostgreSQL catalog with dry-run hosts, for ledger-level tests.</summary>
internal static class AgentHostBuilder
{
    public static RunExecutor Executor(PostgreSqlCatalog catalog) => new(
        catalog.Ledger,
        new PlanCatalog(new NoNodesApi()),
        new DryRunHostShellFactory(),
        new ClusterSecretsStore(catalog.Factory, new LedgerDatabase.ReversibleProtector()),
        new RunCancellations(),
        Options.Create(new ProvisioningOptions { RetryDelay = TimeSpan.Zero, VerifyTimeout = TimeSpan.FromSeconds(5) }),
        TimeProvider.System,
        NullLogger<RunExecutor>.Instance);

    private sealed class NoNodesApi : IClusterApi
    {
        public Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<NodeReadiness>>([]);
    }
}
