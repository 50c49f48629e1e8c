using System.Runtime.CompilerServices;
using KubeHa.Core.Runs;
using Microsoft.AspNetCore.SignalR;

namespace KubeHa.Web.Hubs;

/// <summary>
/// One run as the hub streams it: <see cref="RunFollower"/>'s events (the snapshot, the ledger's lines after
/// <c>afterSeq</c>, then live, no line lost or repeated; the stream ends with the run) as <see cref="RunEventDto"/>s
/// carrying host names.
/// </summary>
public sealed class RunEventStream(RunFollower follower)
{
    public async IAsyncEnumerable<RunEventDto> StreamAsync(long runId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RunSnapshot? snapshot = null;
        await foreach (var e in follower.FollowAsync(runId, new RunFollowOptions { AfterSeq = afterSeq }, cancellationToken))
        {
            snapshot = (e as RunSnapshotEvent)?.Snapshot ?? snapshot;
            var host = e switch { RunLogEvent l => snapshot!.HostName(l.HostId), HostStepStatusEvent h => snapshot!.HostName(h.HostId), _ => null };
            yield return RunEventDto.From(e, host);
        }

        if (snapshot is null)
        {
            throw new HubException($"Run {runId} does not exist.");
        }
    }
}
