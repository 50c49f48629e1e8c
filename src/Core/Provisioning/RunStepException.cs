namespace KubeHa.Core.Provisioning;

/// <summary>
/// A step failed on at least one host (<see cref="Failures"/>, one per host), or the run could not start (no failures);
/// the message names step, hosts, commands and last lines (masked).
/// </summary>
public sealed class RunStepException(string message, IReadOnlyList<HostStepFailure>? failures = null) : Exception(message)
{
    public IReadOnlyList<HostStepFailure> Failures { get; } = failures ?? [];
}
