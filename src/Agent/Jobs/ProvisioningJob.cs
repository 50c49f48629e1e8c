using Hangfire;
using KubeHa.Core.Provisioning;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// Hangfire entry point of a provisioning run. Takes the run id; everything else is read from the ledger. Never retried
/// automatically: a failed or interrupted run is resumed by an operator, and the ledger makes that safe.
/// </summary>
public sealed class ProvisioningJob(RunExecutor executor, IOptions<AgentOptions> agent)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Provisioning run {0}")]
    public Task RunAsync(long runId, CancellationToken cancellationToken) => executor.ExecuteAsync(runId, agent.Value.Name, cancellationToken);
}
