namespace KubeHa.Core.Diagnostics;

/// <summary>How a kubeadm command ended, as far as its output tells.</summary>
public enum KubeadmOutcome
{
    /// <summary>Neither a success message nor an error was found (truncated or unrelated text).</summary>
    Unknown,

    /// <summary>The command reported success (cluster initialised, node joined, node reset, token printed).</summary>
    Success,

    /// <summary>The command stopped with an error.</summary>
    Failure,
}
