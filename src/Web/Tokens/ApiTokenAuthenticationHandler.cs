using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace KubeHa.Web.Tokens;

/// <summary>
/// <c>Authorization: Bearer kubeha_...</c>: the request acts as the token's owner with the owner's current roles.
/// An unknown, revoked or malformed token fails authentication (401); it never falls back to the cookie.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenStore tokens,
    UserManager<Identity.KubeHaUser> users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>Claim carrying the id of the token a request authenticated with.</summary>
    public const string TokenIdClaim = "kubeha:token-id";

    public const string TokenNameClaim = "kubeha:token-name";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var token))
        {
            return AuthenticateResult.NoResult();
        }

        var verified = await tokens.VerifyAsync(token, Context.RequestAborted);
        if (verified is not var (row, owner))
        {
            return AuthenticateResult.Fail("The API token is unknown or revoked.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, owner.Id),
            new(ClaimTypes.Name, owner.UserName ?? owner.Id),
            new(TokenIdClaim, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(TokenNameClaim, row.Name),
        };
        claims.AddRange((await users.GetRolesAsync(owner)).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"kubeha\"";
        return Task.CompletedTask;
    }

    /// <summary>True when the request carries a bearer credential (valid or not).</summary>
    public static bool HasBearer(HttpRequest request) => TryReadBearer(request, out _);

    /// <summary>The bearer value of the request's Authorization header, or null.</summary>
    public static string? ReadBearer(HttpRequest request) => TryReadBearer(request, out var token) ? token : null;

    private static bool TryReadBearer(HttpRequest request, out string token)
    {
        token = "";
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header["Bearer ".Length..].Trim();
        return true;
    }
}
