using KubeHa.Core.Audit;
using KubeHa.Web.Audit;
using KubeHa.Web.Identity;
using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KubeHa.Web.Api;

/// <summary><c>/api/v1/tokens</c> (admins only): API tokens. The token value is in the create response only.</summary>
public static class TokensEndpoints
{
    public static RouteGroupBuilder MapTokensEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(KubeHaPolicies.Admin);
        group.MapGet("/", ListAsync).WithName("ListTokens");
        group.MapPost("/", CreateAsync).WithName("CreateToken")
            .Produces<CreatedTokenResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapDelete("/{id:int}", RevokeAsync).WithName("RevokeToken")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ApiTokenView>>> ListAsync(ApiTokenStore tokens, CancellationToken cancellationToken)
        => TypedResults.Ok(await tokens.ListAsync(cancellationToken));

    private static async Task<IResult> CreateAsync(
        CreateTokenRequest request, ApiTokenStore tokens, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var me = AuditActor.Name(http.User);
        var result = await tokens.CreateAsync(request.Name, string.IsNullOrWhiteSpace(request.Owner) ? me : request.Owner.Trim(), me, cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        var created = result.Value!;
        await audit.RecordAsync(http, AuditActions.TokenCreated, $"token '{created.View.Name}' (#{created.View.Id})", $"owner {created.View.Owner}");
        return TypedResults.Created($"/api/v1/tokens/{created.View.Id}", new CreatedTokenResponse(created.View, created.Token));
    }

    private static async Task<IResult> RevokeAsync(int id, ApiTokenStore tokens, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await tokens.RevokeAsync(id, cancellationToken) is not { } revoked)
        {
            return ApiResults.NotFound("token", id);
        }

        await audit.RecordAsync(http, AuditActions.TokenRevoked, $"token '{revoked.Name}' (#{id})", $"owner {revoked.Owner}");
        return TypedResults.NoContent();
    }
}

/// <summary>A token to create; <see cref="Owner"/> (a user name) defaults to the caller. It acts with the owner's role.</summary>
public sealed record CreateTokenRequest(string? Name, string? Owner);

/// <summary>The created token. <see cref="Token"/> is shown this once: store it now.</summary>
public sealed record CreatedTokenResponse(ApiTokenView Details, string Token)
{
    public override string ToString() => $"CreatedTokenResponse {{ {Details} }}";
}
