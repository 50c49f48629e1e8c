using System.Runtime.CompilerServices;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Runs;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KubeHa.Web.Hubs;

/// <summary>
/// <c>/hubs/kubeha</c>: the live events Blazor circuits get in-process, for API clients and standalone agents.
/// Cookie, API token (bearer) or agent key (bearer); anonymous connections are refused at negotiate (401). Each method
/// names its policy: users (Viewer and up) stream runs and cluster health; only agents publish run events.
/// </summary>
[Authorize(Policy = KubeHaPolicies.HubConnection)]
public sealed partial class KubeHaHub(RunEventStream runs, RunEvents events, RunReader reader, ClusterCatalog clusters, IClusterHealthFeed health, ILogger<KubeHaHub> logger) : Hub
{
    public const string Route = "/hubs/kubeha";

    /// <summary>Most events in one <see cref="PublishRunEvents"/> call.</summary>
    public const int MaxBatch = 1_000;

    /// <summary>Longest line text accepted from an agent.</summary>
    public const int MaxTextLength = 64 * 1024;

    /// <summary>Largest message a client may send (an agent's batch; relays keep batches to a few MB of text).</summary>
    public const long MaxMessageBytes = 16 * 1024 * 1024;

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

    /// <summary>
    /// A standalone agent's runs' events, published into this process's live feed so pages and hub streams see them.
    /// The whole batch is refused (HubException) when it is too large, an event is malformed or a run is unknown.
    /// </summary>
    [Authorize(Policy = KubeHaPolicies.Agent)]
    public async Task PublishRunEvents(RunEventDto[] batch)
    {
        if (batch is null || batch.Length == 0)
        {
            return;
        }

        if (batch.Length > MaxBatch)
        {
            throw new HubException($"A batch holds at most {MaxBatch} events; this one has {batch.Length}.");
        }

        var parsed = new RunEvent[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var dto = batch[i];
            if (dto is null)
            {
                throw new HubException($"Event {i} is empty.");
            }

            if (dto.Text is { Length: > MaxTextLength })
            {
                throw new HubException($"Event {i}: the text is longer than {MaxTextLength} characters.");
            }

            parsed[i] = dto.ToRunEvent(out var problem) ?? throw new HubException($"Event {i} of run {dto.RunId}: {problem}.");
        }

        var runIds = parsed.Select(e => e.RunId).Distinct().ToList();
        var known = await reader.ExistingAsync(runIds, Context.ConnectionAborted);
        var unknown = runIds.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new HubException($"Run {unknown[0]} does not exist.");
        }

        foreach (var e in parsed)
        {
            events.Publish(e);
        }

        LogPublished(parsed.Length, runIds.Count);
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "An agent published {Count} run events of {Runs} run(s)")]
    private partial void LogPublished(int count, int runs);
}
