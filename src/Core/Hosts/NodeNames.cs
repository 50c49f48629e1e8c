using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Hosts;

/// <summary>
/// Kubernetes node names: kubeadm registers a node under its lower-cased hostname, which must be an RFC 1123 subdomain
/// (lower-case letters, digits, '-' and '.', labels starting and ending with a letter or digit, at most 253
/// characters). A host's hostname is a fact the host itself reports, so it is validated here, at the boundary, before it
/// reaches a script, a config file or another host.
/// </summary>
public static partial class NodeNames
{
    public const int MaxLength = 253;

    /// <summary>The node name for <paramref name="hostname"/>, or false with the message for the operator.</summary>
    public static bool TryFromHostname(string? hostname, [NotNullWhen(true)] out string? nodeName, [NotNullWhen(false)] out string? error)
    {
        var name = (hostname ?? string.Empty).Trim().ToLowerInvariant();
        if (name.Length is > 0 and <= MaxLength && Subdomain().IsMatch(name))
        {
            nodeName = name;
            error = null;
            return true;
        }

        nodeName = null;
        error = $"The host reports the hostname {HostInputRules.Quoted(hostname ?? string.Empty)}, which cannot be a Kubernetes node name: kubeadm needs an RFC 1123 name " +
            $"(lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most {MaxLength} characters). " +
            "Set a valid hostname on the host (hostnamectl set-hostname NAME) and check it again.";
        return false;
    }

    /// <summary>
    /// The node name of a host: its lower-cased hostname from the last facts, else (never checked) its inventory name;
    /// false with the message when that is not a valid node name.
    /// </summary>
    public static bool TryFor(HostFacts? facts, string inventoryName, [NotNullWhen(true)] out string? nodeName, [NotNullWhen(false)] out string? error)
    {
        if (facts is not null)
        {
            return TryFromHostname(facts.Hostname, out nodeName, out error);
        }

        if (TryFromHostname(inventoryName, out nodeName, out _))
        {
            error = null;
            return true;
        }

        error = $"{HostInputRules.Quoted(inventoryName)} has no facts from a host check, and its inventory name is not a valid Kubernetes node name: check the host first (its hostname becomes the node name).";
        return false;
    }

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Subdomain().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();
}
