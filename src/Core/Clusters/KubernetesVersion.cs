using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace KubeHa.Core.Clusters;

/// <summary>A Kubernetes release "1.31.2" (a leading "v" is accepted).</summary>
public sealed record KubernetesVersion(int Major, int Minor, int Patch)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out KubernetesVersion? version)
    {
        version = null;
        var parts = (text ?? string.Empty).Trim().TrimStart('v').Split('.');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return false;
        }

        version = new(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        return true;
    }

    public static KubernetesVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a Kubernetes version like 1.31.2.");

    /// <summary>"v1.31.2" and " 1.31.2 " as "1.31.2"; anything that is not a version unchanged (the validator says why).</summary>
    public static string Normalise(string? text) => TryParse(text, out var version) ? version.ToString() : text ?? string.Empty;

    /// <summary>"v1.31.2", as kubeadm's kubernetesVersion field takes it.</summary>
    public string Tag => $"v{Major}.{Minor}.{Patch}";

    /// <summary>"v1.31", the pkgs.k8s.io repository channel.</summary>
    public string Channel => $"v{Major}.{Minor}";

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
