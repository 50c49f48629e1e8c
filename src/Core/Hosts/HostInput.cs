namespace KubeHa.Core.Hosts;

/// <summary>What an operator enters for a host. Property names double as keys of <see cref="Inventory.EditResult.FieldErrors"/>.</summary>
public sealed class HostInput
{
    public string Name { get; set; } = "";

    /// <summary>IP address or DNS name.</summary>
    public string Address { get; set; } = "";

    public int Port { get; set; } = 22;

    public string Username { get; set; } = "";

    public int? CredentialId { get; set; }
}
