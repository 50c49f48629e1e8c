using KubeHa.Core.Audit;
using KubeHa.Core.Credentials;
using KubeHa.Web.Audit;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KubeHa.Web.Api;

/// <summary>
/// <c>/api/v1/credentials</c>: SSH credentials. Secrets are write-only: they go in on create and never come out,
/// not even as a hash; responses carry the key fingerprint and which hosts use the credential.
/// </summary>
public static class CredentialsEndpoints
{
    public static RouteGroupBuilder MapCredentialsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/credentials").WithTags("Credentials");
        group.MapGet("/", ListAsync).WithName("ListCredentials");
        group.MapGet("/{id:int}", GetAsync).WithName("GetCredential").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateCredential")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<CredentialResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteCredential")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<IEnumerable<CredentialResponse>>> ListAsync(CredentialStore store, CancellationToken cancellationToken)
        => TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(CredentialResponse.From));

    private static async Task<IResult> GetAsync(int id, CredentialStore store, CancellationToken cancellationToken)
        => await store.GetAsync(id, cancellationToken) is { } credential
            ? TypedResults.Ok(CredentialResponse.From(credential))
            : ApiResults.NotFound("credential", id);

    private static async Task<IResult> CreateAsync(
        CreateCredentialRequest request, CredentialStore store, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await store.CreateAsync(request.ToInput(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        var created = (await store.GetAsync(result.Value, cancellationToken))!;
        await audit.RecordAsync(http, AuditActions.CredentialCreated, $"credential '{created.Name}' (#{created.Id})", $"kind {request.Kind}");
        return TypedResults.Created($"/api/v1/credentials/{created.Id}", CredentialResponse.From(created));
    }

    private static async Task<IResult> DeleteAsync(int id, CredentialStore store, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } credential)
        {
            return ApiResults.NotFound("credential", id);
        }

        var result = await store.DeleteAsync(id, cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Conflict("The credential is in use", result.Error!);
        }

        await audit.RecordAsync(http, AuditActions.CredentialDeleted, $"credential '{credential.Name}' (#{id})");
        return TypedResults.NoContent();
    }
}
