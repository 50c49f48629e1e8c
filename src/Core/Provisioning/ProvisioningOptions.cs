using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Provisioning;

/// <summary>How runs execute (section "KubeHa:Provisioning").</summary>
public sealed class ProvisioningOptions
{
    public const string Section = "KubeHa:Provisioning";

    /// <summary>Hosts a parallel step works on at once.</summary>
    [Range(1, 256)]
    public int MaxParallelHosts { get; set; } = 10;

    /// <summary>Extra attempts of a host-step after a transient SSH failure (unreachable, refused, timed out).</summary>
    [Range(0, 10)]
    public int TransientRetries { get; set; } = 2;

    /// <summary>Pause before the first retry; doubled for each further one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Budget of a step's clean-up after a failure or cancellation, independent of the run's token.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CleanUpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the executor looks for a cancel request made from another process.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Self-fencing: when the executing agent cannot confirm in the ledger that it still owns its run for this long
    /// (the database unreachable from it), it stops the run's commands, since another agent may take the run over.
    /// Keep it below <c>KubeHa:Agents:StaleAfter</c> (15 s by default), after which the others do.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OwnershipTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long verification waits for every node Ready and every backend UP.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
