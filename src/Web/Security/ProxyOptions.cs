using System.Net;
using KubeHa.Core.Hosts;

namespace KubeHa.Web.Security;

/// <summary>
/// KubeHa__Proxy__*: the reverse proxies (TLS terminators) allowed to tell KubeHa the client's address and scheme
/// through X-Forwarded-For and X-Forwarded-Proto. Requests from any other address keep their own address, so a client
/// cannot pick its sign-in rate-limit bucket or fake HTTPS by sending the headers itself.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "KubeHa:Proxy";

    /// <summary>Addresses of trusted proxies, e.g. "10.0.0.5" or "fd00::5".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. "172.18.0.0/16" (a Docker network).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>True when at least one proxy or network is trusted (forwarded headers are read only then).</summary>
    public bool Enabled => Given(KnownProxies).Any() || Given(KnownNetworks).Any();

    /// <summary>The messages for every invalid entry; empty when all are valid.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var proxy in Given(KnownProxies))
        {
            if (!TryParseAddress(proxy, out _))
            {
                yield return $"{Section}:KnownProxies: {HostInputRules.Quoted(proxy ?? "")} is not an IP address (write IPv4 as four decimal numbers, IPv6 without a scope id).";
            }
        }

        foreach (var network in Given(KnownNetworks))
        {
            if (!TryParseNetwork(network, out _))
            {
                yield return $"{Section}:KnownNetworks: {HostInputRules.Quoted(network ?? "")} is not a network in CIDR form such as 172.18.0.0/16 (address bits beyond the prefix must be zero).";
            }
        }
    }

    public IEnumerable<IPAddress> ProxyAddresses()
        => Given(KnownProxies).Select(p => TryParseAddress(p, out var ip) ? ip : throw new InvalidOperationException(p));

    public IEnumerable<IPNetwork> Networks()
        => Given(KnownNetworks).Select(n => TryParseNetwork(n, out var net) ? net : throw new InvalidOperationException(n));

    // Blank entries are not given (compose passes an unset variable as an empty string).
    private static IEnumerable<string> Given(IEnumerable<string> entries) => entries.Where(e => !string.IsNullOrWhiteSpace(e));

    private static bool TryParseAddress(string? value, out IPAddress address)
    {
        address = IPAddress.None;
        var trimmed = value?.Trim() ?? "";
        if (HostInputRules.CheckAddress(trimmed) is not null || !IPAddress.TryParse(trimmed.Trim('[', ']'), out var parsed))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static bool TryParseNetwork(string? value, out IPNetwork network)
    {
        network = default;
        var parts = (value?.Trim() ?? "").Split('/');
        return parts.Length == 2
            && TryParseAddress(parts[0], out var address)
            && parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsAsciiDigit)
            && IPNetwork.TryParse(value!.Trim(), out network)
            && HostBitsAreZero(address, network.PrefixLength); // "172.18.0.1/16" is a typo for an address or a network
    }

    private static bool HostBitsAreZero(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
