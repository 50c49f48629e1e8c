using System.Text.Json;
using KubeHa.Core.Audit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Runs;
using KubeHa.Web.Audit;
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
    /// <summary>While following, the ledger is also polled this often (covers an agent in another process).</summary>
    internal static readonly TimeSpan FollowPoll = TimeSpan.FromSeconds(2);

    public static RouteGroupBuilder MapRunsEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/clusters/{id:int}/runs", StartAsync).WithName("StartRun").WithTags("Runs")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<RunSnapshot>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var runs = api.MapGroup("/runs").WithTags("Runs");
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
        int id, StartRunRequest request, ClusterCatalog catalog, RunReader reader, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (request.Plan is not ("create" or "add-nodes" or "reset"))
        {
            return ApiResults.Invalid(new Dictionary<string, string> { ["plan"] = "Use \"create\", \"add-nodes\" or \"reset\"." });
        }

        var result = await catalog.StartRunAsync(id, request.Plan, request.HostIds, AuditActor.Name(http.User), cancellationToken);
        var cluster = (await catalog.GetAsync(id, cancellationToken))?.Summary.Name;
        await AuditAsync(audit, http, AuditActions.RunStarted, result, $"cluster '{cluster}' (#{id})", $"plan {request.Plan}");
        return await AnswerAsync(result, "cluster", id, reader, cancellationToken);
    }

    private static async Task<IResult> GetAsync(long id, RunReader reader, CancellationToken cancellationToken)
        => await reader.GetAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound("run", id);

    /// <summary>What the kubeadm analyzer recognises in the output of every failed host-step: the run's diagnosis.</summary>
    private static async Task<IResult> FindingsAsync(long id, RunFindingsReader findings, CancellationToken cancellationToken)
        => await findings.GetAsync(id, cancellationToken) is { } list ? TypedResults.Ok(list) : ApiResults.NotFound("run", id);

    private static async Task<IResult> LogAsync(
        long id, bool? follow, long? after, RunReader reader, RunEvents events, IOptions<JsonOptions> json, HttpContext http)
    {
        if (await reader.GetAsync(id, http.RequestAborted) is not { } snapshot)
        {
            return ApiResults.NotFound("run", id);
        }

        return new RunLogStream(snapshot, after ?? 0, follow == true, reader, events, json.Value.SerializerOptions);
    }

    private static async Task<IResult> ResumeAsync(long id, ClusterCatalog catalog, RunReader reader, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await catalog.ResumeRunAsync(id, cancellationToken);
        await AuditAsync(audit, http, AuditActions.RunResumed, result, $"run #{id}", null);
        return await AnswerAsync(result, "run", id, reader, cancellationToken);
    }

    private static async Task<IResult> CancelAsync(long id, ClusterCatalog catalog, RunReader reader, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await catalog.CancelRunAsync(id, cancellationToken);
        await AuditAsync(audit, http, AuditActions.RunCancelled, result, $"run #{id}", null);
        return await AnswerAsync(result, "run", id, reader, cancellationToken);
    }

    private static async Task AuditAsync(AuditLog audit, HttpContext http, string action, RunCommandResult result, string target, string? detail)
    {
        if (result.Outcome == RunCommandOutcome.NotFound)
        {
            return;
        }

        var what = result.RunId is { } runId && !target.StartsWith("run", StringComparison.Ordinal) ? $"run #{runId} of {target}" : target;
        await audit.RecordAsync(http, action, what, result.Accepted ? detail : result.Message, result.Accepted);
    }

    private static async Task<IResult> AnswerAsync(RunCommandResult result, string what, long id, RunReader reader, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case RunCommandOutcome.Accepted:
                var run = await reader.GetAsync(result.RunId!.Value, cancellationToken);
                return TypedResults.Accepted($"/api/v1/runs/{result.RunId}", run);
            case RunCommandOutcome.NotFound:
                return ApiResults.NotFound(what, id);
            case RunCommandOutcome.Conflict:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Another run of this cluster is active",
                    detail: result.Message,
                    extensions: new Dictionary<string, object?> { ["activeRunId"] = result.ActiveRunId });
            default:
                return ApiResults.Conflict("The run is not in a state that allows this", result.Message ?? "Not possible in the run's current state.");
        }
    }
}

/// <summary>Which plan to run: "create", "add-nodes" or "reset"; <see cref="HostIds"/> limits a reset to those hosts.</summary>
public sealed record StartRunRequest(string? Plan, IReadOnlyList<int>? HostIds);
