using System.Security.Cryptography;

namespace KubeHa.Web.Security;

/// <summary>
/// Security headers on every response. The Content-Security-Policy fits Blazor Server with MudBlazor: scripts only
/// from this origin plus the per-request nonce on the inline import map; inline styles allowed (MudBlazor writes
/// style attributes and its theme as a style element); the circuit's WebSocket back to this origin; no framing.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "kubeha.csp-nonce";

    /// <summary>The nonce of this request's inline scripts (the import map).</summary>
    public static string CspNonce(this HttpContext http)
        => http.Items[NonceItem] as string ?? "";

    public static IApplicationBuilder UseKubeHaSecurityHeaders(this IApplicationBuilder app)
        => app.Use((http, next) =>
        {
            // Hex, not base64: "+" and "/" would be HTML-encoded in the import map's nonce attribute and stop matching.
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            http.Items[NonceItem] = nonce;
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = Policy(nonce);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // same-origin, not no-referrer: no URL leaves for other sites, and the browser keeps naming our own origin in
                // Origin on form posts (no-referrer makes it "null", which the same-origin guard must treat as foreign).
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/account"))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });

    internal static string Policy(string nonce)
        => "default-src 'self'; " +
           $"script-src 'self' 'nonce-{nonce}'; " +
           "style-src 'self' 'unsafe-inline'; " +
           "img-src 'self' data:; " +
           "font-src 'self' data:; " +
           "connect-src 'self'; " +
           "object-src 'none'; " +
           "base-uri 'self'; " +
           "form-action 'self'; " +
           "frame-ancestors 'none'";
}
