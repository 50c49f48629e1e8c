namespace KubeHa.Lab;

/// <summary>Faults `lab fault HOST KIND` can inject (and `lab heal HOST KIND` removes).</summary>
public enum LabFault
{
    HostDown,
    NetworkCut,
    ApiserverKilled,
    KubeletStopped,
    SshDrop,
    Slow,
    HostKeyChanged,
    SwapOn,
    PortOccupied,
    ClockAdvance,
}
