using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>Applies the vendored upstream CNI manifest with the pod CIDR (kubectl apply is idempotent).</summary>
public sealed class InstallCniStep : Step
{
    private const string ManifestPath = "/etc/kubernetes/kubeha/cni.yaml";

    public override string Key => "install-cni";

    public override string Title => "Install the pod network (CNI)";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) =>
        context.InitHost is { } init ? [init] : [];

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var spec = host.Context.Spec;
        await host.UploadAsync(ManifestPath, CniManifests.Render(spec), "644", cancellationToken);
        await host.RunAsync($"{Kubectl.Admin} apply -f {ManifestPath}", cancellationToken);
    }
}
