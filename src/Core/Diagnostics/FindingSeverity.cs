namespace KubeHa.Core.Diagnostics;

/// <summary>How much a finding matters.</summary>
public enum FindingSeverity
{
    /// <summary>Context worth knowing; nothing to do.</summary>
    Info,

    /// <summary>kubeadm went on, but the operator should look at it.</summary>
    Warning,

    /// <summary>This stopped (or will stop) the command.</summary>
    Error,
}
