using System.Text.RegularExpressions;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.LoadBalancing;

/// <summary>
/// Last checks before a value is written into a daemon's configuration file (HAProxy, keepalived): addresses were
/// validated where they entered, interface names come from a host's own report; a value that is not what it claims
/// to be stops the render instead of adding a line to a root daemon's config.
/// </summary>
public static partial class ConfigValues
{
    public static void RequireAddress(string address)
    {
        if (HostInputRules.CheckAddress(address) is { } error)
        {
            throw new ArgumentException($"Refusing to write an invalid address into a configuration file: {error}", nameof(address));
        }
    }

    /// <summary>An HAProxy <c>bind</c> value: ADDRESS:PORT or *:PORT, the address as <see cref="RequireAddress"/> accepts it.</summary>
    public static void RequireBind(string bind)
    {
        var colon = bind.LastIndexOf(':');
        var host = colon < 0 ? null : bind[..colon];
        var portValid = colon >= 0 && int.TryParse(bind[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && HostInputRules.CheckPort(port) is null;
        if (!portValid || host is null || (host != "*" && HostInputRules.CheckAddress(host) is not null))
        {
            throw new ArgumentException($"Refusing to write {HostInputRules.Quoted(bind)} into a configuration file: it is not a bind address (ADDRESS:PORT or *:PORT).", nameof(bind));
        }
    }

    /// <summary>A Linux interface name as <c>ip</c> prints it: 1-15 characters, no whitespace, '/' or ':'.</summary>
    public static bool IsInterfaceName(string? name) => name is not null && InterfaceName().IsMatch(name);

    public static void RequireInterface(string name)
    {
        if (!IsInterfaceName(name))
        {
            throw new ArgumentException($"Refusing to write {HostInputRules.Quoted(name)} into a configuration file: it is not a network interface name.", nameof(name));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.@-]{1,15}\z")]
    private static partial Regex InterfaceName();
}
