using KubeHa.Core.Agents;
using System.Security.Cryptography;
using System.Text;
using KubeHa.Agent.Relay;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Agents;

/// <summary>
/// The shared agent key (<c>KubeHa__Agents__Token</c>), kept only as its SHA-256 hash. A presented bearer value is
/// hashed and compared in constant time. When no key is configured nothing matches.
/// </summary>
public sealed class AgentKey
{
    private readonly byte[]? _hash;

    public AgentKey(IOptions<AgentsOptions> options)
    {
        var token = options.Value.Token;
        _hash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool IsConfigured => _hash is not null;

    public bool Matches(string? presented)
    {
        if (_hash is null || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
    }
}
