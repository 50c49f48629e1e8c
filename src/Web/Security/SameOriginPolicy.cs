using KubeHa.Web.Tokens;

namespace KubeHa.Web.Security;

/// <summary>
/// Cross-site request forgery guard for every state change that a browser's cookie could authorise: a POST, PUT,
/// PATCH or DELETE without a bearer credential must not come from another origin. Browsers name the page that sent a
/// request in Origin (and Sec-Fetch-Site); when either says another site (or "null", a sandboxed or opaque origin),
/// the request is refused with 403 before any endpoint runs, whatever its body or content type. Requests that carry
/// neither header do not come from a browser page and carry no victim's cookie by accident. Bearer requests (API
/// tokens, agents) are not ambient credentials and are not checked. Form posts also carry antiforgery tokens.
/// </summary>
public static class SameOriginPolicy
{
    public static IApplicationBuilder UseKubeHaSameOriginPolicy(this IApplicationBuilder app)
        => app.Use(async (http, next) =>
        {
            if (IsCrossSiteStateChange(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await Results.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Cross-site request refused",
                        detail: "Changes made with a signed-in browser must come from KubeHa's own pages. Scripts and tools use an API token (Authorization: Bearer).")
                    .ExecuteAsync(http);
                return;
            }

            await next(http);
        });

    internal static bool IsCrossSiteStateChange(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return false;
        }

        if (ApiTokenAuthenticationHandler.HasBearer(request))
        {
            return false;
        }

        // Sec-Fetch-Site is set by the browser itself (no page script can forge it) and is the better witness: a
        // same-origin form post can carry "Origin: null" (a referrer policy of no-referrer makes Chromium send it).
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite is not ("same-origin" or "none");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var from)
            || !string.Equals(from.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) && !SameHostPort(from, request);
    }

    private static bool SameHostPort(Uri from, HttpRequest request)
        => string.Equals(from.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
           && from.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));
}
