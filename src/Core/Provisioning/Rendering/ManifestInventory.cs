using YamlDotNet.RepresentationModel;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// What a multi-document manifest runs: its workloads and their images, read from the YAML itself (a <c>kind: List</c>'s
/// items included), so the image list and the verify step follow the vendored file instead of a copy of it.
/// </summary>
public static class ManifestInventory
{
    private static readonly HashSet<string> WorkloadKinds = new(StringComparer.Ordinal) { "DaemonSet", "Deployment", "StatefulSet", "Job" };

    public static IReadOnlyList<ManifestWorkload> Workloads(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        var workloads = new List<ManifestWorkload>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlMappingNode root)
            {
                Collect(root, workloads);
            }
        }

        return workloads;
    }

    /// <summary>Every distinct image of the manifest's workloads, in order of appearance.</summary>
    public static IReadOnlyList<string> Images(string yaml) => Workloads(yaml).SelectMany(w => w.Images).Distinct(StringComparer.Ordinal).ToList();

    private static void Collect(YamlMappingNode obj, List<ManifestWorkload> workloads)
    {
        var kind = Scalar(obj, "kind");
        if (kind == "List" && obj.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode list)
        {
            foreach (var item in list.Children.OfType<YamlMappingNode>())
            {
                Collect(item, workloads);
            }

            return;
        }

        if (kind is null || !WorkloadKinds.Contains(kind))
        {
            return;
        }

        var metadata = Child(obj, "metadata");
        var podSpec = Child(Child(Child(obj, "spec"), "template"), "spec");
        var images = new List<string>();
        foreach (var section in new[] { "initContainers", "containers" })
        {
            if (podSpec is not null && podSpec.Children.TryGetValue(new YamlScalarNode(section), out var node) && node is YamlSequenceNode containers)
            {
                images.AddRange(containers.Children.OfType<YamlMappingNode>().Select(c => Scalar(c, "image")).OfType<string>());
            }
        }

        workloads.Add(new ManifestWorkload(kind, Scalar(metadata, "namespace") ?? "default", Scalar(metadata, "name") ?? "", images.Distinct(StringComparer.Ordinal).ToList()));
    }

    private static YamlMappingNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode { Value: { } value } ? value : null;
}
