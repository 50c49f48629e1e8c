namespace KubeHa.Core.Kubernetes;

/// <summary>One entry of a node's status.conditions (Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable).</summary>
public sealed record NodeCondition(string Type, string Status, string? Reason, string? Message, DateTimeOffset? LastTransition);
