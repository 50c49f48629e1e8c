namespace KubeHa.Core.Hosts;

/// <summary>
/// How a host address (an IP in canonical form, or a DNS name, as <see cref="HostInputRules"/> accepts it) is written
/// next to a port: in "host:port" and in URLs an IPv6 address goes in brackets.
/// </summary>
public static class NetworkAddress
{
    /// <summary>"10.0.0.1:2379", "[fd00::1]:2379", "api.example.com:6443".</summary>
    public static string HostPort(string address, int port) => $"{Bracketed(address)}:{port}";

    /// <summary>"https://10.0.0.1:2379", "https://[fd00::1]:2379".</summary>
    public static string Url(string scheme, string address, int port) => $"{scheme}://{HostPort(address, port)}";

    /// <summary>The address as the host part of a URL or "host:port": IPv6 in brackets.</summary>
    public static string Bracketed(string address) =>
        address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? $"[{address}]" : address;
}
