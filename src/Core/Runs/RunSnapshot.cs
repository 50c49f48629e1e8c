namespace KubeHa.Core.Runs;

/// <summary>A run as the run view opens it: header, steps with their per-host results, and host names.</summary>
/// <param name="Run">Status, attempt, error and times.</param>
/// <param name="ClusterName">The cluster the run works on.</param>
/// <param name="Steps">Steps in plan order.</param>
/// <param name="HostNames">Inventory names of the hosts that appear in the run, by id.</param>
/// <param name="LastSeq">Seq of the last persisted log line (0 when none): the live feed continues after it.</param>
public sealed record RunSnapshot(RunSummary Run, string ClusterName, IReadOnlyList<StepSnapshot> Steps, IReadOnlyDictionary<int, string> HostNames, long LastSeq)
{
    public string HostName(int? hostId) => hostId is { } id ? HostNames.GetValueOrDefault(id, $"host {id}") : "kubeha";
}
