namespace KubeHa.Core.Runs;

/// <summary>One step of a run, in plan order.</summary>
public sealed class StepRun
{
    public long Id { get; set; }

    public long RunId { get; set; }

    public Run? Run { get; set; }

    public int Ordinal { get; set; }

    /// <summary>Stable kebab-case key: "join-control-planes".</summary>
    public required string Key { get; set; }

    public required string Title { get; set; }

    public StepStatus Status { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<HostStepRun> Hosts { get; set; } = [];
}
