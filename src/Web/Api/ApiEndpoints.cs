using KubeHa.Web.Identity;

namespace KubeHa.Web.Api;

/// <summary>
/// The REST API under <c>/api/v1</c>: bearer token or cookie, Viewer to read, each write endpoint names the role it
/// needs. JSON is camelCase with enums as lower-case kebab strings; errors are problem details.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapKubeHaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(KubeHaPolicies.Viewer);
        api.MapCredentialsEndpoints()
            .MapHostsEndpoints()
            .MapClustersEndpoints()
            .MapRunsEndpoints()
            .MapRunTextLogEndpoint()
            .MapTokensEndpoints()
            .MapAlertChannelsEndpoints()
            .MapAgentsEndpoints();
        app.MapDiagnoseEndpoints();
        return app;
    }
}
