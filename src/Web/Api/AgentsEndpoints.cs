using KubeHa.Core.Agents;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KubeHa.Web.Api;

/// <summary><c>GET /api/v1/agents</c>: the agents page's data (Operator).</summary>
public static class AgentsEndpoints
{
    public static RouteGroupBuilder MapAgentsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents").WithTags("Agents").RequireAuthorization(KubeHaPolicies.Operator);
        group.MapGet("/", ListAsync).WithName("ListAgents");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AgentStatus>>> ListAsync(AgentRegistry registry, CancellationToken cancellationToken)
        => TypedResults.Ok(await registry.ListAsync(cancellationToken));
}
