using Hangfire;
using KubeHa.Core.Hosts;

namespace KubeHa.Agent.Jobs;

/// <summary>Hangfire entry point for one host check. Takes an id; all state is read from and written to the catalog.</summary>
public sealed class HostCheckJob(IHostCheckService checks)
{
    // A check only reads the host; a retry is harmless but an operator re-runs it anyway, so none is automatic.
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Check host {0}")]
    public Task RunAsync(int hostId, CancellationToken cancellationToken) => checks.CheckAsync(hostId, cancellationToken);
}
