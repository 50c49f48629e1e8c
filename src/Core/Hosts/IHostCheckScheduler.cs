namespace KubeHa.Core.Hosts;

/// <summary>Queues host checks for background execution (a Hangfire job per host, run in parallel by the agent).</summary>
public interface IHostCheckScheduler
{
    /// <summary>Marks the hosts queued and enqueues one check each.</summary>
    Task ScheduleAsync(IReadOnlyCollection<int> hostIds, CancellationToken cancellationToken);
}
