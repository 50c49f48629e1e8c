using System.ComponentModel.DataAnnotations;

namespace KubeHa.Agent.Relay;

/// <summary>
/// <c>KubeHa__Agents__Token</c>: the key standalone agents and Web share. Web accepts it as a bearer credential with
/// the Agent role (publishing live run events only); an agent sends it to Web's hub. Unset: no agent can authenticate.
/// </summary>
public sealed class AgentsOptions
{
    public const string Section = "KubeHa:Agents";

    public const int MinTokenLength = 32;

    [MinLength(MinTokenLength, ErrorMessage = "KubeHa__Agents__Token must be at least 32 characters (e.g. `openssl rand -base64 32`).")]
    public string? Token { get; set; }
}
