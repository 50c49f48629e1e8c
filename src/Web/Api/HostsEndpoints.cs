using KubeHa.Core.Audit;
using KubeHa.Core.Hosts;
using KubeHa.Core.Hosts.Import;
using KubeHa.Web.Audit;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KubeHa.Web.Api;

/// <summary><c>/api/v1/hosts</c>: the host inventory, and checks (connect, pin the host key, gather facts).</summary>
public static class HostsEndpoints
{
    public static RouteGroupBuilder MapHostsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/hosts").WithTags("Hosts");
        group.MapGet("/", ListAsync).WithName("ListHosts");
        group.MapGet("/{id:int}", GetAsync).WithName("GetHost")
            .Produces<HostResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateHost")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<HostResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapPost("/import", ImportAsync).WithName("ImportHosts")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<ImportHostsResponse>()
            .Produces<ImportHostsResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteHost")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/check", CheckAsync).WithName("CheckHost")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<HostResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/host-key/approve", ApproveHostKeyAsync).WithName("ApproveHostKey")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<HostResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<IEnumerable<HostResponse>>> ListAsync(HostInventory inventory, CancellationToken cancellationToken)
        => TypedResults.Ok((await inventory.ListAsync(cancellationToken)).Select(HostResponse.From));

    private static async Task<IResult> GetAsync(int id, HostInventory inventory, CancellationToken cancellationToken)
        => await FindAsync(inventory, id, cancellationToken) is { } host
            ? TypedResults.Ok(HostResponse.From(host))
            : ApiResults.NotFound("host", id);

    private static async Task<IResult> CreateAsync(
        CreateHostRequest request, HostInventory inventory, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await inventory.AddAsync(request.ToInput(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        var host = (await FindAsync(inventory, result.Value!.Id, cancellationToken))!;
        await audit.RecordAsync(http, AuditActions.HostCreated, Target(host), $"{host.Username}@{host.Endpoint}");
        return TypedResults.Created($"/api/v1/hosts/{host.Id}", HostResponse.From(host));
    }

    /// <summary>Parses the inventory, validates every host (all or none) and, unless a dry run, registers and checks them.</summary>
    private static async Task<IResult> ImportAsync(
        ImportHostsRequest request, HostInventory inventory, IHostCheckScheduler checks, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var parse = HostImportParser.Parse(request.Content ?? "", request.Format ?? HostImportFormat.Auto);
        if (parse.Errors.Count > 0)
        {
            return ApiResults.Invalid(new Dictionary<string, string> { ["Content"] = string.Join(" ", parse.Errors) });
        }

        var chosen = request.Names is { Count: > 0 } names ? parse.Hosts.Where(h => names.Contains(h.Name, StringComparer.OrdinalIgnoreCase)).ToList() : [.. parse.Hosts];
        var inputs = HostImportRows.ToInputs(chosen, request.Username, request.CredentialId);
        var result = await inventory.ImportAsync(inputs, request.DryRun, cancellationToken);
        var preview = chosen.Select((h, i) => new ImportedHostResponse(
            h.Name, h.Address, h.Port, inputs[i].Username, h.Groups, h.SuggestedRoles, HostImportRows.ErrorsOf(result.FieldErrors, i))).ToList();
        if (request.DryRun && result.Error is null)
        {
            return TypedResults.Ok(new ImportHostsResponse(parse.Format, preview, []));
        }

        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        var ids = result.Value!;
        var created = (await inventory.ListAsync(cancellationToken)).Where(h => ids.Contains(h.Id)).ToList();
        foreach (var host in created)
        {
            await audit.RecordAsync(http, AuditActions.HostCreated, Target(host), $"{host.Username}@{host.Endpoint} (imported, {parse.Format})");
        }

        if (request.Check)
        {
            await checks.ScheduleAsync(ids, cancellationToken);
            created = (await inventory.ListAsync(cancellationToken)).Where(h => ids.Contains(h.Id)).ToList();
        }

        return TypedResults.Json(new ImportHostsResponse(parse.Format, preview, created.Select(HostResponse.From).ToList()), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(int id, HostInventory inventory, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(inventory, id, cancellationToken) is not { } host)
        {
            return ApiResults.NotFound("host", id);
        }

        var result = await inventory.DeleteAsync(id, cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Conflict("The host is in use", result.Error!);
        }

        await audit.RecordAsync(http, AuditActions.HostDeleted, Target(host));
        return TypedResults.NoContent();
    }

    private static async Task<IResult> CheckAsync(
        int id, HostInventory inventory, IHostCheckScheduler checks, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(inventory, id, cancellationToken) is not { } host)
        {
            return ApiResults.NotFound("host", id);
        }

        if (host.IsBusy)
        {
            return ApiResults.Conflict("A check is already in progress", $"Host '{host.Name}' is being checked; wait for that check to finish.");
        }

        await checks.ScheduleAsync([id], cancellationToken);
        await audit.RecordAsync(http, AuditActions.HostCheckRequested, Target(host));
        var queued = await FindAsync(inventory, id, cancellationToken) ?? host;
        return TypedResults.Accepted($"/api/v1/hosts/{id}", HostResponse.From(queued));
    }

    /// <summary>Pins the host key recorded on first contact with a password credential; audited with the fingerprint.</summary>
    private static async Task<IResult> ApproveHostKeyAsync(
        int id, ApproveHostKeyRequest request, HostInventory inventory, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(inventory, id, cancellationToken) is not { } host)
        {
            return ApiResults.NotFound("host", id);
        }

        var result = await inventory.ApproveHostKeyAsync(id, request.Fingerprint, cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        await audit.RecordAsync(http, AuditActions.HostKeyApproved, Target(host), $"{host.HostKeyAlgorithm} {host.HostKeyFingerprint}");
        return TypedResults.Ok(HostResponse.From((await FindAsync(inventory, id, cancellationToken))!));
    }

    private static async Task<HostView?> FindAsync(HostInventory inventory, int id, CancellationToken cancellationToken)
        => (await inventory.ListAsync(cancellationToken)).FirstOrDefault(h => h.Id == id);

    private static string Target(HostView host) => $"host '{host.Name}' (#{host.Id})";
}
