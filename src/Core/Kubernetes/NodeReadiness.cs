namespace KubeHa.Core.Kubernetes;

/// <summary>A node as the API reports it.</summary>
public sealed record NodeReadiness(string Name, bool Ready);
