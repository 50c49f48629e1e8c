using KubeHa.Core.Provisioning.Steps;

namespace KubeHa.Core.Provisioning;

/// <summary>An ordered list of steps, stored by key on each run.</summary>
/// <param name="Key">"create", "add-nodes", "reset".</param>
/// <param name="Title">Shown to operators.</param>
/// <param name="Steps">In execution order; ordinals in the ledger are indexes here.</param>
/// <param name="RemovesHosts">True for reset: the run's targets (or all hosts) leave the cluster when it succeeds.</param>
public sealed record Plan(string Key, string Title, IReadOnlyList<Step> Steps, bool RemovesHosts = false);
