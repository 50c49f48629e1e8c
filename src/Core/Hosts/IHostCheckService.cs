namespace KubeHa.Core.Hosts;

/// <summary>
/// Checks one host over SSH: connects with its credential, pins or verifies the host key, verifies sudo,
/// gathers facts, and records the outcome on the host (status, facts, key, error). Runs in a job, never in a UI circuit.
/// </summary>
public interface IHostCheckService
{
    Task CheckAsync(int hostId, CancellationToken cancellationToken);
}
