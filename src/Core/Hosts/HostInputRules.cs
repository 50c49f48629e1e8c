using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Hosts;

/// <summary>Syntax rules for host fields: address (IP or DNS name), port, Linux user name.</summary>
public static partial class HostInputRules
{
    public const int MaxNameLength = 128;
    public const int MaxUsernameLength = 32;

    /// <summary>Null when valid, otherwise the message for the field.</summary>
    public static string? CheckAddress(string? address)
    {
        var value = address?.Trim() ?? "";
        if (value.Length == 0)
        {
            return "Enter an IP address or a DNS name.";
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            var bare = value.Trim('[', ']');
            return IPAddress.TryParse(bare, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? null
                : $"'{value}' is not a valid IPv6 address.";
        }

        if (value.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return IsDottedQuad(value) ? null : $"'{value}' is not a valid IPv4 address (four numbers 0-255 separated by dots).";
        }

        return value.Length <= 253 && DnsName().IsMatch(value)
            ? null
            : $"'{value}' is not a valid IP address or DNS name (letters, digits and hyphens in dot-separated labels).";
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
            : $"'{value}' is not a valid Linux user name: up to {MaxUsernameLength} characters, starting with a letter or '_', then letters, digits, '_', '-' or '.'.";
    }

    private static bool IsDottedQuad(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3
            && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n <= 255);
    }

    // RFC 1123 labels: 1-63 letters, digits or hyphens, not starting or ending with a hyphen.
    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex DnsName();

    // shadow-utils' relaxed rule (as systemd documents it): no leading digit or hyphen, optional trailing '$'.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*\$?$")]
    private static partial Regex LinuxUser();
}
