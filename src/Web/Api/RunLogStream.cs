using System.Text.Json;
using KubeHa.Core.Runs;

namespace KubeHa.Web.Api;

/// <summary>
/// Writes a run's log as NDJSON: <see cref="RunFollower"/>'s lines after <c>after</c> (the ledger's, then, when
/// following, live ones until the run ends; no line lost or repeated).
/// </summary>
internal sealed class RunLogStream(RunSnapshot snapshot, long after, bool follow, RunFollower follower, JsonSerializerOptions json) : IResult
{
    public const string ContentType = "application/x-ndjson";

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-store";
        var options = new RunFollowOptions { AfterSeq = after, Live = follow };
        await foreach (var e in follower.FollowAsync(snapshot.Run.Id, options, ct))
        {
            if (e is RunLogEvent line)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(new RunLogLineResponse(line.Seq, line.Time, line.StepKey, line.HostId, snapshot.HostName(line.HostId), line.Stream, line.Text), json);
                await http.Response.Body.WriteAsync(bytes, ct);
                await http.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
            }
        }

        await http.Response.Body.FlushAsync(ct);
    }
}
