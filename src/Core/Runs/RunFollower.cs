using System.Runtime.CompilerServices;

namespace KubeHa.Core.Runs;

/// <summary>
/// Follows one run for a viewer (the run page's circuit, the REST NDJSON stream, the SignalR hub): the one place where
/// "snapshot from the ledger, then live, de-duplicated by Seq, gaps filled" is written.
/// <para>
/// It subscribes to <see cref="RunEvents"/> before reading the ledger, so no line falls between the two; yields a
/// <see cref="RunSnapshotEvent"/>, then the ledger's lines (after <see cref="RunFollowOptions.AfterSeq"/>, or the last
/// <see cref="RunFollowOptions.LastLines"/>) through at least the snapshot's <see cref="RunSnapshot.LastSeq"/>, then live
/// events. Every line is a <see cref="RunLogEvent"/>, in Seq order, each once: live lines already yielded are skipped,
/// and a gap (lines a full channel dropped, or of an agent in another process that does not relay) is filled from the
/// ledger (lines are published only once persisted; a line still missing after a few seconds is replaced by one
/// system line saying how many are not available). While the run is active and nothing arrives for
/// <see cref="RunFollowOptions.IdlePoll"/>, the ledger is read again, and a run found finished there is reported as a
/// <see cref="RunStatusEvent"/>. With <see cref="RunFollowOptions.EndWithRun"/> the sequence ends once the run is no
/// longer queued or running and the ledger was read to its end. Nothing when the run does not exist.
/// </para>
/// </summary>
public sealed class RunFollower(RunReader reader, RunEvents events)
{
    private static readonly TimeSpan GapPoll = TimeSpan.FromMilliseconds(100);
    private const int GapPolls = 50;
    private const int Page = 1_000;

    public async IAsyncEnumerable<RunEvent> FollowAsync(long runId, RunFollowOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var live = options.Live ? events.SubscribeAsync(runId, stop.Token).GetAsyncEnumerator(stop.Token) : null;
        // The iterator registers its channel synchronously, before its first await: from here on nothing is missed.
        var next = live?.MoveNextAsync().AsTask();
        try
        {
            if (await reader.GetAsync(runId, cancellationToken) is not { } snapshot)
            {
                yield break;
            }

            yield return new RunSnapshotEvent(snapshot);
            var sent = Math.Max(options.AfterSeq, 0);
            if (options.LastLines is { } last)
            {
                var tail = await ReadTailAsync(runId, snapshot.LastSeq, sent, last, cancellationToken);
                foreach (var line in tail)
                {
                    yield return line;
                }

                sent = Math.Max(sent, tail.Count > 0 ? tail[^1].Seq : snapshot.LastSeq);
            }

            await foreach (var line in ReadLedgerAsync(runId, sent, long.MaxValue, cancellationToken))
            {
                sent = line.Seq;
                yield return line;
            }

            var active = snapshot.Run.IsActive;
            if (next is null || (!active && options.EndWithRun))
            {
                yield break;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                if (active && await Task.WhenAny(next, Task.Delay(options.IdlePoll, cancellationToken)) != next)
                {
                    // Nothing live for a while: the ledger may hold lines of a process that does not relay to us.
                    var current = await reader.GetAsync(runId, cancellationToken);
                    await foreach (var line in ReadLedgerAsync(runId, sent, long.MaxValue, cancellationToken))
                    {
                        sent = line.Seq;
                        yield return line;
                    }

                    if (current is not { Run.IsActive: true })
                    {
                        active = false;
                        if (current is not null)
                        {
                            yield return new RunStatusEvent(runId, current.Run.Status, current.Run.Error);
                        }

                        if (options.EndWithRun || current is null)
                        {
                            yield break;
                        }
                    }

                    continue;
                }

                if (!await next)
                {
                    yield break;
                }

                var e = live!.Current;
                next = live.MoveNextAsync().AsTask();
                switch (e)
                {
                    case RunLogEvent line when line.Seq <= sent:
                        break; // already yielded from the ledger
                    case RunLogEvent line:
                        if (line.Seq > sent + 1)
                        {
                            await foreach (var missing in FillGapAsync(runId, sent, line.Seq - 1, cancellationToken))
                            {
                                sent = missing.Seq;
                                yield return missing;
                            }
                        }

                        sent = line.Seq;
                        yield return line;
                        break;
                    case RunStatusEvent status when status.Status is not (RunStatus.Queued or RunStatus.Running):
                        // The writer flushes its last lines before the run's final status is recorded.
                        await foreach (var line in ReadLedgerAsync(runId, sent, long.MaxValue, cancellationToken))
                        {
                            sent = line.Seq;
                            yield return line;
                        }

                        yield return status;
                        active = false;
                        if (options.EndWithRun)
                        {
                            yield break;
                        }

                        break;
                    case RunStatusEvent status:
                        active = true; // queued again or resumed: a new attempt of the same run
                        yield return status;
                        break;
                    default:
                        yield return e;
                        break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            if (next is not null)
            {
                try
                {
                    await next;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private static RunLogEvent ToEvent(LogLine line) => new(line.RunId, line.Seq, line.StepKey, line.HostId, line.Stream, line.Text, line.Time);

    /// <summary>The last <paramref name="count"/> lines through <paramref name="lastSeq"/> (none at or before <paramref name="after"/>).</summary>
    private async Task<List<RunLogEvent>> ReadTailAsync(long runId, long lastSeq, long after, int count, CancellationToken cancellationToken)
    {
        var tail = new List<RunLogEvent>();
        var before = lastSeq + 1;
        while (tail.Count < count && before > after + 1)
        {
            var page = await reader.ReadBeforeAsync(runId, before, Math.Min(RunReader.MaxPage, count - tail.Count), cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            tail.InsertRange(0, page.Where(l => l.Seq > after).Select(ToEvent));
            before = page[0].Seq;
        }

        return tail;
    }

    private async IAsyncEnumerable<RunLogEvent> ReadLedgerAsync(long runId, long after, long through, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                yield return ToEvent(line);
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    // Missed lines are normally in the ledger already (published after persisting); poll briefly in case they are not.
    private async IAsyncEnumerable<RunLogEvent> FillGapAsync(long runId, long sent, long through, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var poll = 0; sent < through; poll++)
        {
            var before = sent;
            await foreach (var line in ReadLedgerAsync(runId, sent, through, cancellationToken))
            {
                sent = line.Seq;
                yield return line;
            }

            if (sent == before)
            {
                if (poll >= GapPolls)
                {
                    yield return new RunLogEvent(runId, through, null, null, LogStream.System, $"… {through - sent} line(s) not available in the ledger", DateTimeOffset.UtcNow);
                    yield break;
                }

                await Task.Delay(GapPoll, cancellationToken);
            }
        }
    }
}
