using KubeHa.Core.Hosts;

namespace KubeHa.Web.Api;

/// <summary>A host to add: where to reach it over SSH and which credential to log in with.</summary>
public sealed record CreateHostRequest
{
    public string Name { get; init; } = "";

    /// <summary>IP address or DNS name.</summary>
    public string Address { get; init; } = "";

    public int Port { get; init; } = 22;

    public string Username { get; init; } = "";

    public int? CredentialId { get; init; }

    public HostInput ToInput() => new() { Name = Name, Address = Address, Port = Port, Username = Username, CredentialId = CredentialId };
}
