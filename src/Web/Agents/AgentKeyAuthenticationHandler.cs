using System.Security.Claims;
using System.Text.Encodings.Web;
using KubeHa.Web.Identity;
using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Agents;

/// <summary>
/// <c>Authorization: Bearer &lt;agent key&gt;</c>: the request acts as principal "agent" with only the
/// <see cref="KubeHaRoles.Agent"/> role. The default scheme forwards here only when the bearer value matches the key.
/// </summary>
public sealed class AgentKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AgentKey key)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AgentKey";

    public const string PrincipalName = "agent";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiTokenAuthenticationHandler.ReadBearer(Request) is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!key.Matches(presented))
        {
            return Task.FromResult(AuthenticateResult.Fail("The agent key is not valid."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, PrincipalName), new Claim(ClaimTypes.Name, PrincipalName), new Claim(ClaimTypes.Role, KubeHaRoles.Agent)],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"kubeha\"";
        return Task.CompletedTask;
    }
}
