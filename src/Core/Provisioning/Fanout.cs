namespace KubeHa.Core.Provisioning;

/// <summary>How a step spreads over its hosts.</summary>
public enum Fanout
{
    /// <summary>All selected hosts at once, bounded by <see cref="ProvisioningOptions.MaxParallelHosts"/>.</summary>
    Parallel = 0,

    /// <summary>One host after the other, in order (control-plane joins: quorum-safe).</summary>
    OneAtATime = 1,
}
