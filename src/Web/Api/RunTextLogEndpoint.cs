using System.Text;
using KubeHa.Core.Runs;

namespace KubeHa.Web.Api;

/// <summary>
/// <c>GET /api/v1/runs/{id}/log.txt</c>: the whole persisted log of a run as text/plain (the run view's download;
/// <c>/log</c> serves the same lines as NDJSON, with <c>follow</c>), streamed from the ledger page by page
/// (one line per entry: time, host, step, stream, text; secrets were masked before they were stored). Signed-in users only.
/// </summary>
public static class RunTextLogEndpoint
{
    public static RouteGroupBuilder MapRunTextLogEndpoint(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id:long}/log.txt", StreamLogAsync)
            .WithName("GetRunLogText")
            .WithTags("Runs")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .Produces(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task StreamLogAsync(long id, bool? download, RunReader reader, HttpContext context, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(id, cancellationToken) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        if (download == true)
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"kubeha-run-{id}.log\"";
        }

        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        await reader.WriteTextAsync(id, writer, cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }
}
