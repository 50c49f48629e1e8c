namespace KubeHa.Core.Provisioning;

/// <summary>Starts, resumes and cancels runs; implemented by the agent (Hangfire jobs that take run ids).</summary>
public interface IRunScheduler
{
    /// <summary>Creates a queued run of the plan for the cluster (frozen spec) and enqueues it.</summary>
    Task<long> StartAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken);

    /// <summary>Enqueues a failed, cancelled or interrupted run again; it continues from the first unfinished work.</summary>
    Task ResumeAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Asks the run to stop; it stops within the current command.</summary>
    Task CancelAsync(long runId, CancellationToken cancellationToken);
}
