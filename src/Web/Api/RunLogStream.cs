using System.Text.Json;
using KubeHa.Core.Runs;

namespace KubeHa.Web.Api;

/// <summary>
/// Writes a run's log as NDJSON: the lines recorded in the ledger after <c>after</c>, then, when following, live lines
/// from <see cref="RunEvents"/> until the run ends (the ledger is re-read at the end and every few seconds, so nothing
/// is lost to a slow reader or an agent in another process).
/// </summary>
internal sealed class RunLogStream(RunSnapshot snapshot, long after, bool follow, RunReader reader, RunEvents events, JsonSerializerOptions json) : IResult
{
    public const string ContentType = "application/x-ndjson";

    private long _lastSeq = after;

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-store";
        var runId = snapshot.Run.Id;

        // Subscribe before reading the ledger so no line falls between the two.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var live = follow && snapshot.Run.IsActive ? events.SubscribeAsync(runId, stop.Token).GetAsyncEnumerator(stop.Token) : null;

        await CatchUpAsync(http, ct);
        if (live is null)
        {
            return;
        }

        var next = live.MoveNextAsync().AsTask();
        while (!ct.IsCancellationRequested)
        {
            var poll = Task.Delay(RunsEndpoints.FollowPoll, ct);
            if (await Task.WhenAny(next, poll) == next)
            {
                if (!await next)
                {
                    break;
                }

                switch (live.Current)
                {
                    case RunLogEvent line when line.Seq > _lastSeq:
                        if (line.Seq > _lastSeq + 1)
                        {
                            await CatchUpAsync(http, ct); // a slow reader lost events: fill the gap from the ledger
                        }

                        if (line.Seq <= _lastSeq)
                        {
                            break;
                        }

                        await WriteAsync(http, new RunLogLineResponse(line.Seq, line.Time, line.StepKey, line.HostId, snapshot.HostName(line.HostId), line.Stream, line.Text), ct);
                        await http.Response.Body.FlushAsync(ct);
                        break;
                    case RunStatusEvent status when status.Status is not (RunStatus.Queued or RunStatus.Running):
                        await CatchUpAsync(http, ct);
                        return;
                }

                next = live.MoveNextAsync().AsTask();
            }
            else
            {
                await CatchUpAsync(http, ct);
                if (await reader.GetAsync(runId, ct) is not { Run.IsActive: true })
                {
                    await CatchUpAsync(http, ct);
                    break;
                }
            }
        }

        await stop.CancelAsync();
        try
        {
            await next;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CatchUpAsync(HttpContext http, CancellationToken ct)
    {
        while (true)
        {
            var page = await reader.ReadAfterAsync(snapshot.Run.Id, _lastSeq, 1_000, ct);
            if (page.Count == 0)
            {
                await http.Response.Body.FlushAsync(ct);
                return;
            }

            foreach (var line in page)
            {
                await WriteAsync(http, new RunLogLineResponse(line.Seq, line.Time, line.StepKey, line.HostId, snapshot.HostName(line.HostId), line.Stream, line.Text), ct);
            }
        }
    }

    private async Task WriteAsync(HttpContext http, RunLogLineResponse line, CancellationToken ct)
    {
        await JsonSerializer.SerializeAsync(http.Response.Body, line, json, ct);
        await http.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
        _lastSeq = line.Seq;
    }
}
