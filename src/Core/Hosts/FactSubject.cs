namespace KubeHa.Core.Hosts;

/// <summary>A host as <see cref="FactWarnings"/> sees it: its name (to name it in duplicate warnings), its facts, and
/// whether it is already a node of a cluster (then Kubernetes' ports are expected to be in use).</summary>
public sealed record FactSubject(int HostId, string Name, HostFacts? Facts, bool InCluster = false);
