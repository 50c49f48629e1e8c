namespace KubeHa.Core.Clusters;

/// <summary>
/// The Kubernetes releases KubeHa provisions: 1.29 (the oldest kubeadm config API it renders, v1beta3) to 1.37, with
/// the patch releases pkgs.k8s.io publishes for each minor (the lab's simulated repository has the same, and 1.28).
/// Upstream supports the newest three minors (1.35-1.37); the older ones stay selectable as starting points for
/// upgrades. The wizard offers these, newest first, and defaults to <see cref="Default"/>; the validator refuses other
/// minors and warns about a patch it does not know.
/// </summary>
public static class KubernetesReleases
{
    public const int MinimumMinor = 29;
    public const int MaximumMinor = 37;

    /// <summary>The newest patch release of each supported minor in the package repository.</summary>
    private static readonly IReadOnlyDictionary<int, int> NewestPatch = new Dictionary<int, int>
    {
        [29] = 15,
        [30] = 14,
        [31] = 13,
        [32] = 9,
        [33] = 5,
        [34] = 13,
        [35] = 11,
        [36] = 7,
        [37] = 3,
    };

    /// <summary>"1.29 to 1.37".</summary>
    public static string Range => $"1.{MinimumMinor} to 1.{MaximumMinor}";

    /// <summary>Every release offered, newest first ("1.37.3", "1.37.2", ..., "1.29.0").</summary>
    public static IReadOnlyList<string> Offered { get; } = NewestPatch.OrderByDescending(m => m.Key)
        .SelectMany(m => Enumerable.Range(0, m.Value + 1).Reverse().Select(p => $"1.{m.Key}.{p}"))
        .ToList();

    /// <summary>The newest patch of the newest stable minor ("1.37.3"): the wizard's and <see cref="ClusterSpec"/>'s default.</summary>
    public static string Default => $"1.{MaximumMinor}.{NewestPatch[MaximumMinor]}";

    public static bool IsSupportedMinor(KubernetesVersion version) => version.Major == 1 && version.Minor is >= MinimumMinor and <= MaximumMinor;

    /// <summary>False for a patch newer than the newest the repository had when this KubeHa was built.</summary>
    public static bool IsKnown(KubernetesVersion version) => IsSupportedMinor(version) && version.Patch <= NewestPatch[version.Minor];

    /// <summary>The newest known patch of the version's minor, e.g. "1.37.3".</summary>
    public static string NewestOf(KubernetesVersion version) => $"1.{version.Minor}.{NewestPatch[version.Minor]}";
}
