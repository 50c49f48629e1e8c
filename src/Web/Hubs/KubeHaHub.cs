using System.Runtime.CompilerServices;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Runs;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KubeHa.Web.Hubs;

/// <summary>
/// <c>/hubs/kubeha</c>: the live events Blazor circuits get in-process, for API clients. Users only (cookie or API
/// token, Viewer and up); anonymous connections are refused at negotiate (401), agents use <see cref="AgentHub"/>.
/// Messages keep SignalR's default size limit (32 KB): a user only sends small method calls.
/// </summary>
[Authorize(Policy = KubeHaPolicies.Viewer)]
public sealed class KubeHaHub(RunEventStream runs, ClusterCatalog clusters, IClusterHealthFeed health) : Hub
{
    public const string Route = "/hubs/kubeha";

    /// <summary>
    /// The run's events: a "snapshot" item, the ledger's lines with Seq greater than <paramref name="afterSeq"/>, then
    /// live "line", "run", "step" and "host-step" items, each line exactly once in Seq order. Ends when the run is no
    /// longer queued or running (at once, after the ledger, for a finished run).
    /// </summary>
    [Authorize(Policy = KubeHaPolicies.Viewer)]
    public IAsyncEnumerable<RunEventDto> StreamRun(long runId, long afterSeq, CancellationToken cancellationToken)
        => runs.StreamAsync(runId, afterSeq, cancellationToken);

    /// <summary>The cluster's health at once, then again on every change (nodes, load-balancer backends, etcd), until cancelled.</summary>
    [Authorize(Policy = KubeHaPolicies.Viewer)]
    public async IAsyncEnumerable<ClusterHealthDto> StreamClusterHealth(int clusterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await clusters.GetAsync(clusterId, cancellationToken) is null)
        {
            throw new HubException($"Cluster {clusterId} does not exist.");
        }

        await foreach (var snapshot in health.WatchAsync(clusterId, cancellationToken))
        {
            yield return ClusterHealthDto.From(snapshot);
        }
    }
}
