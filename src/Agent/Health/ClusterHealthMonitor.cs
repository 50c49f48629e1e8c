using KubeHa.Core.Agents;
using KubeHa.Core.Clusters.Certificates;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Health;

/// <summary>
/// Every <see cref="AgentOptions.HealthInterval"/>, checks each provisioned cluster (Healthy or Degraded, no run
/// holding it) through <see cref="IClusterHealthFeed"/> and stores the outcome with <see cref="ClusterHealthRecorder"/>:
/// Healthy &lt;-&gt; Degraded with the reasons and the time of the check, never over a status a run set. The feed shares
/// one session per cluster, so a cluster whose dashboard is open is read from that session's snapshot, without second
/// SSH connections. Clusters are checked in parallel (<see cref="AgentOptions.HealthParallelism"/>), each under
/// <see cref="AgentOptions.HealthProbeTimeout"/>; a source that does not answer in time, or a failed check, is itself a
/// degradation; so is a control-plane certificate about to expire (<see cref="CertificateHealth"/>). On PostgreSQL the monitor checks only clusters of the zones this agent serves.
/// </summary>
public sealed partial class ClusterHealthMonitor(
    ClusterHealthRecorder recorder,
    IClusterHealthFeed feed,
    IOptions<AgentOptions> agent,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<ClusterHealthMonitor> logger,
    CertificateHealth? certificates = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(agent.Value.HealthInterval, time);
        try
        {
            do
            {
                try
                {
                    await CheckAllAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    LogPassFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: checks every monitored cluster of this agent's zones and stores the outcomes.</summary>
    public async Task<IReadOnlyList<HealthRecordOutcome>> CheckAllAsync(CancellationToken cancellationToken)
    {
        var clusters = (await recorder.ListMonitoredAsync(cancellationToken)).Where(Serves).ToList();
        var outcomes = new HealthRecordOutcome[clusters.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, clusters.Count),
            new ParallelOptions { MaxDegreeOfParallelism = agent.Value.HealthParallelism, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await CheckAsync(clusters[i], ct));
        return outcomes;
    }

    /// <summary>Checks one cluster and stores the outcome; a failure to check is stored as a degradation.</summary>
    public async Task<HealthRecordOutcome> CheckAsync(MonitoredCluster cluster, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ClusterId"] = cluster.Id, ["Cluster"] = cluster.Name });
        var timeout = agent.Value.HealthProbeTimeout;
        IReadOnlyList<string> reasons;
        try
        {
            var snapshot = await feed.ReadAsync(cluster.Id, timeout, cancellationToken);
            if (snapshot is null)
            {
                return HealthRecordOutcome.NotRecorded; // deleted meanwhile
            }

            reasons = Reasons(snapshot, timeout);
            if (certificates is not null)
            {
                reasons = [.. reasons, .. (await certificates.CheckAsync(cluster, cancellationToken)).Degradations];
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            LogProbeFailed(logger, ex, cluster.Id);
            reasons = [$"health check failed ({ex.GetType().Name})"];
        }

        var outcome = await recorder.RecordAsync(cluster.Id, reasons, time.GetUtcNow(), cancellationToken);
        if (outcome.TurnedDegraded)
        {
            LogDegraded(logger, cluster.Id, cluster.Name, string.Join("; ", outcome.Reasons));
        }
        else if (outcome.Recovered)
        {
            LogRecovered(logger, cluster.Id, cluster.Name);
        }

        return outcome;
    }

    /// <summary>What makes the cluster degraded in a snapshot; a snapshot not settled in time adds that as a reason.</summary>
    public static IReadOnlyList<string> Reasons(ClusterHealthSnapshot snapshot, TimeSpan timeout)
    {
        var reasons = snapshot.Degradations().ToList();
        if (snapshot.Problem is { } problem)
        {
            reasons.Insert(0, problem);
        }

        if (!snapshot.Settled)
        {
            var silent = snapshot.LoadBalancers.Where(l => l.ReadAt is null && l.Error is null).Select(l => l.Host).ToList();
            reasons.Add(silent.Count > 0
                ? $"no answer within {timeout.TotalSeconds:0} s from {string.Join(", ", silent)}"
                : $"health sources did not all answer within {timeout.TotalSeconds:0} s");
        }

        return reasons;
    }

    private bool Serves(MonitoredCluster cluster) =>
        !database.Value.IsShared || agent.Value.EffectiveQueues.Contains(Zones.QueueOf(cluster.Zone), StringComparer.Ordinal);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Cluster {ClusterId} ({ClusterName}) turned degraded: {Reasons}")]
    private static partial void LogDegraded(ILogger logger, int clusterId, string clusterName, string reasons);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Cluster {ClusterId} ({ClusterName}) recovered: healthy again")]
    private static partial void LogRecovered(ILogger logger, int clusterId, string clusterName);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Health check of cluster {ClusterId} failed; stored as a degradation")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, int clusterId);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Health monitor pass failed; next pass at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
