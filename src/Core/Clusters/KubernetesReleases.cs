namespace KubeHa.Core.Clusters;

/// <summary>
/// The Kubernetes releases KubeHa provisions: 1.29 (the oldest kubeadm config API it renders, v1beta3) to 1.33, with
/// the patch releases pkgs.k8s.io publishes for each minor (the lab's simulated repository has the same, and 1.28).
/// The wizard offers these; the validator refuses other minors and warns about a patch it does not know.
/// </summary>
public static class KubernetesReleases
{
    public const int MinimumMinor = 29;
    public const int MaximumMinor = 33;

    /// <summary>The newest patch release of each supported minor in the package repository.</summary>
    private static readonly IReadOnlyDictionary<int, int> NewestPatch = new Dictionary<int, int>
    {
        [29] = 15,
        [30] = 14,
        [31] = 13,
        [32] = 9,
        [33] = 5,
    };

    /// <summary>"1.29 to 1.33".</summary>
    public static string Range => $"1.{MinimumMinor} to 1.{MaximumMinor}";

    /// <summary>Every release offered, newest first ("1.33.5", "1.33.4", ..., "1.29.0").</summary>
    public static IReadOnlyList<string> Offered { get; } = NewestPatch.OrderByDescending(m => m.Key)
        .SelectMany(m => Enumerable.Range(0, m.Value + 1).Reverse().Select(p => $"1.{m.Key}.{p}"))
        .ToList();

    public static bool IsSupportedMinor(KubernetesVersion version) => version.Major == 1 && version.Minor is >= MinimumMinor and <= MaximumMinor;

    /// <summary>False for a patch newer than the newest the repository had when this KubeHa was built.</summary>
    public static bool IsKnown(KubernetesVersion version) => IsSupportedMinor(version) && version.Patch <= NewestPatch[version.Minor];

    /// <summary>The newest known patch of the version's minor, e.g. "1.33.5".</summary>
    public static string NewestOf(KubernetesVersion version) => $"1.{version.Minor}.{NewestPatch[version.Minor]}";
}
