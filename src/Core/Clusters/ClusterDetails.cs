using KubeHa.Core.Runs;

namespace KubeHa.Core.Clusters;

/// <summary>One cluster with its spec, its hosts (in order, roles and facts) and its runs, newest first.</summary>
public sealed record ClusterDetails(ClusterSummary Summary, ClusterSpec Spec, IReadOnlyList<ClusterMember> Members, IReadOnlyList<RunSummary> Runs);
