using System.Collections.Concurrent;
using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// Every image a cluster needs, for hosts without internet (load them first) and for the pull-images step (pre-pull
/// them): kubeadm's control-plane images for the version, the sandbox image KubeHa configures in the runtime, the CNI's
/// images read from the vendored manifest, and the ingress controller's when the cluster has one.
/// </summary>
public static class ClusterImages
{
    public const string Registry = "registry.k8s.io";

    private static readonly ConcurrentDictionary<VendoredManifest, IReadOnlyList<string>> CniImages = new();

    public static IReadOnlyList<ImageGroup> For(ClusterSpec spec, bool ingressController = false)
    {
        var version = KubernetesVersion.Parse(spec.KubernetesVersion);
        var list = $"`kubeadm config images list --kubernetes-version {version.Tag}` prints it";
        var etcdWhere = spec.EtcdTopology == EtcdTopology.External ? "etcd hosts" : "control planes";
        var cni = CniManifests.Vendored(spec.Cni, version);
        List<ImageGroup> groups =
        [
            new($"kubeadm {version.Tag}", "control planes", ControlPlane(version), []),
            new($"kubeadm {version.Tag}", "every node", [KubeProxy(version), ContainerRuntimes.PauseImage(version)],
                [$"{Registry}/coredns/coredns: the tag kubeadm {version.Tag} pins ({list})"]),
            new($"kubeadm {version.Tag}", etcdWhere, [], [$"{Registry}/etcd: the tag kubeadm {version.Tag} pins ({list})"]),
            new($"{cni.Name} {cni.Version}", "every node", Cni(spec), []),
        ];
        if (ingressController)
        {
            var ingress = IngressControllerManifest.Vendored;
            groups.Add(new($"{ingress.Name} {ingress.Version}", "workers", [IngressControllerManifest.Image], []));
        }

        return groups;
    }

    /// <summary>kube-apiserver, kube-controller-manager and kube-scheduler at the cluster's version.</summary>
    public static IReadOnlyList<string> ControlPlane(KubernetesVersion version) =>
        new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler" }.Select(c => $"{Registry}/{c}:{version.Tag}").ToList();

    public static string KubeProxy(KubernetesVersion version) => $"{Registry}/kube-proxy:{version.Tag}";

    /// <summary>
    /// The images of the CNI's workloads (DaemonSets and Deployments), init containers included. Rendering changes only
    /// the pod subnet, never an image, so the list is read once per vendored manifest (Calico's is 350 kB) rather than
    /// once per host and run.
    /// </summary>
    public static IReadOnlyList<string> Cni(ClusterSpec spec)
    {
        var manifest = CniManifests.Vendored(spec.Cni, KubernetesVersion.Parse(spec.KubernetesVersion));
        return CniImages.GetOrAdd(manifest, m => ManifestInventory.Images(m.Header + m.Body));
    }
}
