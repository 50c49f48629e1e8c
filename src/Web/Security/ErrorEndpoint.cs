using Microsoft.AspNetCore.Diagnostics;

namespace KubeHa.Web.Security;

/// <summary>
/// <c>/error</c>, where the exception handler sends every failed request (any method, so a failed POST does not turn
/// into 405): a 500 problem that says nothing about the exception. Its details are in the server's log only.
/// </summary>
public static class ErrorEndpoint
{
    public const string Path = "/error";

    public static IEndpointRouteBuilder MapKubeHaErrorEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map(Path, (HttpContext http) => http.Features.Get<IExceptionHandlerFeature>() is null
                ? Results.NotFound() // asked for directly: nothing failed
                : Results.Problem(
                    statusCode: StatusCodes.Status500InternalServerError,
                    title: "Something went wrong on the server",
                    detail: "The request was not completed. The cause is in KubeHa's log; try again or tell your administrator."))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}
