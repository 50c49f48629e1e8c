using System.Text.Json;
using KubeHa.Core.Runs;
using KubeHa.Web.Application;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Api;

/// <summary>
/// Provisioning runs: start a plan on a cluster (one active run per cluster), read a run with its steps and per-host
/// status, stream its log as NDJSON (optionally following it live until it ends), resume and cancel.
/// </summary>
public static class RunsEndpoints
{
    public static RouteGroupBuilder MapRunsEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/clusters/{id:int}/runs", StartAsync).WithName("StartRun").WithTags("Runs")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<RunSnapshot>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapGet("/", ListAsync).WithName("ListRuns");
        runs.MapGet("/{id:long}", GetAsync).WithName("GetRun")
            .Produces<RunSnapshot>().ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{id:long}/findings", FindingsAsync).WithName("GetRunFindings")
            .Produces<IReadOnlyList<RunFinding>>().ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{id:long}/log", LogAsync).WithName("GetRunLog")
            .Produces<RunLogLineResponse>(StatusCodes.Status200OK, RunLogStream.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/{id:long}/resume", ResumeAsync).WithName("ResumeRun")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<RunSnapshot>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/{id:long}/cancel", CancelAsync).WithName("CancelRun")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<RunSnapshot>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> StartAsync(
        int id, StartRunRequest request, ClusterCommands commands, RunReader reader, HttpContext http, CancellationToken cancellationToken)
        => await AnswerAsync(await commands.StartRunAsync(CommandActor.From(http), id, request.Plan, request.HostIds, cancellationToken), reader, cancellationToken);

    /// <summary>The runs history, newest first (<c>?clusterId=3&amp;limit=50</c>; at most 1000).</summary>
    private static async Task<IResult> ListAsync(RunHistory history, CancellationToken cancellationToken, int? clusterId = null, int limit = 100)
        => TypedResults.Ok(await history.ListAsync(clusterId, limit, cancellationToken));

    private static async Task<IResult> GetAsync(long id, RunReader reader, CancellationToken cancellationToken)
        => await reader.GetAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound("run", id);

    /// <summary>What the kubeadm analyzer recognises in the output of every failed host-step: the run's diagnosis.</summary>
    private static async Task<IResult> FindingsAsync(long id, RunFindingsReader findings, CancellationToken cancellationToken)
        => await findings.GetAsync(id, cancellationToken) is { } list ? TypedResults.Ok(list) : ApiResults.NotFound("run", id);

    private static async Task<IResult> LogAsync(
        long id, bool? follow, long? after, RunReader reader, RunFollower follower, IOptions<JsonOptions> json, HttpContext http)
    {
        if (await reader.GetAsync(id, http.RequestAborted) is not { } snapshot)
        {
            return ApiResults.NotFound("run", id);
        }

        return new RunLogStream(snapshot, after ?? 0, follow == true, follower, json.Value.SerializerOptions);
    }

    private static async Task<IResult> ResumeAsync(long id, ClusterCommands commands, RunReader reader, HttpContext http, CancellationToken cancellationToken)
        => await AnswerAsync(await commands.ResumeRunAsync(CommandActor.From(http), id, cancellationToken), reader, cancellationToken);

    private static async Task<IResult> CancelAsync(long id, ClusterCommands commands, RunReader reader, HttpContext http, CancellationToken cancellationToken)
        => await AnswerAsync(await commands.CancelRunAsync(CommandActor.From(http), id, cancellationToken), reader, cancellationToken);

    /// <summary>202 with the run as <c>GET /runs/{id}</c> returns it, or the refusal.</summary>
    internal static async Task<IResult> AnswerAsync(CommandResult<long> result, RunReader reader, CancellationToken cancellationToken)
    {
        if (!result.Succeeded)
        {
            return ApiResults.Refusal(result);
        }

        var run = await reader.GetAsync(result.Value, cancellationToken);
        return TypedResults.Accepted($"/api/v1/runs/{result.Value}", run);
    }
}

/// <summary>Which plan to run: "create", "add-nodes", "reset" or "renew-certificates"; <see cref="HostIds"/> limits it to those members (never empty; not for create and renew-certificates).</summary>
public sealed record StartRunRequest(string? Plan, IReadOnlyList<int>? HostIds);
