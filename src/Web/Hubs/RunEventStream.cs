using System.Runtime.CompilerServices;
using KubeHa.Core.Runs;
using Microsoft.AspNetCore.SignalR;

namespace KubeHa.Web.Hubs;

/// <summary>
/// One run as the hub streams it: the snapshot (steps and per-host results) and the ledger's lines after
/// <c>afterSeq</c>, then live events. The live subscription is opened before the ledger is read and every line carries
/// its Seq, so lines already sent are skipped and a gap (a line a full channel lost, a line of an
/// agent that is not relaying; lines are published only once persisted) is filled from the ledger: no line is lost or
/// repeated across the seam. The ledger is also re-read every <see cref="Poll"/> while nothing arrives. The stream
/// ends once the run is no longer queued or running and the ledger has been read to its end.
/// </summary>
public sealed class RunEventStream(RunReader reader, RunEvents events)
{
    internal static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan GapPoll = TimeSpan.FromMilliseconds(100);
    private const int GapPolls = 50;
    private const int Page = 1_000;

    public async IAsyncEnumerable<RunEventDto> StreamAsync(long runId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var live = events.SubscribeAsync(runId, stop.Token).GetAsyncEnumerator(stop.Token);
        // The iterator registers its channel synchronously, before its first await: from here on nothing is missed.
        var next = live.MoveNextAsync().AsTask();
        try
        {
            var snapshot = await reader.GetAsync(runId, cancellationToken)
                ?? throw new HubException($"Run {runId} does not exist.");
            yield return new RunEventDto { Kind = RunEventDto.SnapshotKind, RunId = runId, Snapshot = snapshot };

            var sent = Math.Max(afterSeq, 0);
            await foreach (var line in ReadLedgerAsync(runId, sent, long.MaxValue, snapshot, cancellationToken))
            {
                sent = line.Seq!.Value;
                yield return line;
            }

            var active = snapshot.Run.IsActive;
            while (active && !cancellationToken.IsCancellationRequested)
            {
                var poll = Task.Delay(Poll, cancellationToken);
                if (await Task.WhenAny(next, poll) != next)
                {
                    // Nothing live for a while: the ledger may hold lines of a process that does not relay to us.
                    var current = await reader.GetAsync(runId, cancellationToken);
                    snapshot = current ?? snapshot;
                    await foreach (var line in ReadLedgerAsync(runId, sent, long.MaxValue, snapshot, cancellationToken))
                    {
                        sent = line.Seq!.Value;
                        yield return line;
                    }

                    if (current is not { Run.IsActive: true })
                    {
                        if (current is not null)
                        {
                            yield return new RunEventDto { Kind = RunEventDto.RunKind, RunId = runId, RunStatus = current.Run.Status, Error = current.Run.Error };
                        }

                        break;
                    }

                    continue;
                }

                if (!await next)
                {
                    break;
                }

                var e = live.Current;
                next = live.MoveNextAsync().AsTask();
                switch (e)
                {
                    case RunLogEvent line when line.Seq <= sent:
                        break; // already sent from the ledger
                    case RunLogEvent line:
                        if (line.Seq > sent + 1)
                        {
                            await foreach (var missing in FillGapAsync(runId, sent, line.Seq - 1, snapshot, cancellationToken))
                            {
                                yield return missing;
                            }
                        }

                        sent = line.Seq;
                        yield return RunEventDto.From(line, snapshot.HostName(line.HostId));
                        break;
                    case RunStatusEvent status:
                        yield return RunEventDto.From(status);
                        if (status.Status is not (RunStatus.Queued or RunStatus.Running))
                        {
                            // The writer flushes its last lines before the run's final status is recorded.
                            await foreach (var line in ReadLedgerAsync(runId, sent, long.MaxValue, snapshot, cancellationToken))
                            {
                                sent = line.Seq!.Value;
                                yield return line;
                            }

                            active = false;
                        }

                        break;
                    default:
                        yield return RunEventDto.From(e, e is HostStepStatusEvent h ? snapshot.HostName(h.HostId) : null);
                        break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async IAsyncEnumerable<RunEventDto> ReadLedgerAsync(
        long runId, long after, long through, RunSnapshot snapshot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (after < through)
        {
            var page = await reader.ReadAfterAsync(runId, after, Page, cancellationToken);
            foreach (var line in page)
            {
                if (line.Seq > through)
                {
                    yield break;
                }

                after = line.Seq;
                yield return RunEventDto.From(line, snapshot.HostName(line.HostId));
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    // Missed lines are normally in the ledger already (published after persisting); poll briefly in case they are not.
    private async IAsyncEnumerable<RunEventDto> FillGapAsync(
        long runId, long sent, long through, RunSnapshot snapshot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var poll = 0; sent < through; poll++)
        {
            var before = sent;
            await foreach (var line in ReadLedgerAsync(runId, sent, through, snapshot, cancellationToken))
            {
                sent = line.Seq!.Value;
                yield return line;
            }

            if (sent == before)
            {
                if (poll >= GapPolls)
                {
                    yield break; // not in the ledger after all: go on rather than stall the stream
                }

                await Task.Delay(GapPoll, cancellationToken);
            }
        }
    }
}
