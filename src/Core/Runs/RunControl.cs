namespace KubeHa.Core.Runs;

/// <summary>What the agent executing a run learns when it polls the ledger.</summary>
public enum RunControl
{
    Continue = 0,

    /// <summary>An operator asked to cancel.</summary>
    CancelRequested = 1,

    /// <summary>The run is no longer Running under this agent and attempt: another agent took it over.</summary>
    LostOwnership = 2,
}
