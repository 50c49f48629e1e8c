using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Hosts;

/// <summary>Syntax rules for host fields: address (IP or DNS name), port, Linux user name.</summary>
public static partial class HostInputRules
{
    public const int MaxNameLength = 128;
    public const int MaxUsernameLength = 32;

    /// <summary>
    /// Null when valid, otherwise the message for the field. Valid: an IPv4 address written as four decimal numbers
    /// without leading zeros ("010.0.0.1" is 8.0.0.1 to .NET and 10.0.0.1 to HAProxy and kubeadm), an IPv6 address
    /// without a scope id (a "%zone" means something different on every host, and .NET accepts any text after it), or
    /// an RFC 1123 DNS name that no resolver reads as a number ("0xa.0.0.1"). Store <see cref="CanonicalAddress"/>.
    /// </summary>
    public static string? CheckAddress(string? address)
    {
        var value = address?.Trim() ?? "";
        if (value.Length == 0)
        {
            return "Enter an IP address or a DNS name.";
        }

        var shown = Quoted(value);
        if (value.Contains('%', StringComparison.Ordinal))
        {
            return $"{shown} has a scope id (%...): enter an address that means the same on every host, without the %zone part.";
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            var bare = value.StartsWith('[') && value.EndsWith(']') ? value[1..^1] : value;
            return bare.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                && IPAddress.TryParse(bare, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? null
                : $"{shown} is not a valid IPv6 address.";
        }

        if (value.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return IsDottedQuad(value, out var leadingZero)
                ? null
                : leadingZero
                    ? $"{shown} has a number with a leading zero, which some tools read as octal: write it without leading zeros."
                    : $"{shown} is not a valid IPv4 address (four numbers 0-255 separated by dots).";
        }

        if (value.Length > 253 || !DnsName().IsMatch(value))
        {
            return $"{shown} is not a valid IP address or DNS name (letters, digits and hyphens in dot-separated labels).";
        }

        // "0xa.0.0.1", "0x0a000001": not a name, but a number in a form resolvers accept and humans misread.
        return IPAddress.TryParse(value, out var number) || value.Split('.')[^1].All(char.IsAsciiDigit)
            ? $"{shown} reads as an IP address in a non-standard form{(number is null ? "" : $" ({number})")}: write IPv4 addresses as four decimal numbers."
            : null;
    }

    /// <summary>
    /// The form KubeHa stores and uses everywhere for a valid address: trimmed, IPv6 compressed in lower case without
    /// brackets, DNS names in lower case.
    /// </summary>
    public static string CanonicalAddress(string address)
    {
        if (CheckAddress(address) is { } error)
        {
            throw new ArgumentException(error, nameof(address));
        }

        var value = address.Trim();
        var bare = value.StartsWith('[') && value.EndsWith(']') ? value[1..^1] : value;
        return IPAddress.TryParse(bare, out var ip) ? ip.ToString() : value.ToLowerInvariant();
    }

    /// <summary>True when the address is valid and already in the form <see cref="CanonicalAddress"/> returns.</summary>
    public static bool IsCanonicalAddress(string? value) => value is not null && CheckAddress(value) is null && CanonicalAddress(value) == value;

    /// <summary>True for a valid IPv4 address in canonical form (dotted quad, no leading zeros).</summary>
    public static bool IsCanonicalIPv4(string? value) => value is not null && IsDottedQuad(value, out _);

    /// <summary>A value for a message: in quotes, control characters escaped, at most 80 characters.</summary>
    public static string Quoted(string value)
    {
        var sb = new StringBuilder("'");
        foreach (var c in value.Length > 80 ? value[..80] : value)
        {
            sb.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return sb.Append(value.Length > 80 ? "...'" : "'").ToString();
    }

    public static string? CheckPort(int port)
        => port is >= 1 and <= 65535 ? null : "The port must be between 1 and 65535.";

    public static string? CheckUsername(string? username)
    {
        var value = username?.Trim() ?? "";
        if (value.Length == 0)
        {
            return "Enter the Linux user to log in as.";
        }

        return value.Length <= MaxUsernameLength && LinuxUser().IsMatch(value)
            ? null
            : $"{Quoted(value)} is not a valid Linux user name: up to {MaxUsernameLength} characters, starting with a letter or '_', then letters, digits, '_', '-' or '.'.";
    }

    private static bool IsDottedQuad(string value, out bool leadingZero)
    {
        var parts = value.Split('.');
        leadingZero = parts.Any(p => p.Length > 1 && p[0] == '0');
        return !leadingZero && parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3
            && p.All(char.IsAsciiDigit)
            && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n <= 255);
    }

    // RFC 1123 labels: 1-63 letters, digits or hyphens, not starting or ending with a hyphen.
    [GeneratedRegex(@"^(?=.{1,253}\z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z")]
    private static partial Regex DnsName();

    // shadow-utils' relaxed rule (as systemd documents it): no leading digit or hyphen, optional trailing '$'.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*\$?\z")]
    private static partial Regex LinuxUser();
}
