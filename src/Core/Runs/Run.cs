using KubeHa.Core.Clusters;

namespace KubeHa.Core.Runs;

/// <summary>One execution of a plan against a cluster: the top of the run ledger.</summary>
public sealed class Run
{
    public long Id { get; set; }

    public int ClusterId { get; set; }

    public Cluster? Cluster { get; set; }

    /// <summary>Plan key: "create", "add-nodes", "reset".</summary>
    public required string Plan { get; set; }

    /// <summary>The spec as it was when the run started.</summary>
    public required ClusterSpec Spec { get; set; }

    public RunStatus Status { get; set; }

    /// <summary>1 for the first execution, incremented on each resume.</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>Agent (process) currently executing the run.</summary>
    public string? ClaimedBy { get; set; }

    public string? Error { get; set; }

    /// <summary>Hosts a reset run removes; null means the whole cluster (or, for create and add-nodes, every host).</summary>
    public List<int>? TargetHostIds { get; set; }

    /// <summary>Set when an operator asked to cancel; the executing agent polls it.</summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }

    public string? StartedByUser { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<StepRun> Steps { get; set; } = [];
}
