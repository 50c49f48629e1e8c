using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Rendering;

/// <summary>
/// The ingress controller KubeHa installs (issue 15): HAProxy Kubernetes Ingress Controller's upstream deploy manifest,
/// vendored and pinned (Provisioning/Rendering/Ingress/haproxy-kubernetes-ingress.yaml). ingress-nginx was retired
/// upstream in March 2026; HAProxy's controller is maintained and fits the HAProxy KubeHa already runs.
/// </summary>
public static class IngressControllerManifest
{
    /// <summary>The upstream manifest's image, untagged (latest), which KubeHa pins.</summary>
    public const string UpstreamImage = "haproxytech/kubernetes-ingress";

    /// <summary>Namespace and Deployment name of the controller, as upstream names them.</summary>
    public const string Namespace = "haproxy-controller";

    public const string DeploymentName = "haproxy-kubernetes-ingress";

    private static readonly Lazy<VendoredManifest> Manifest = new(() =>
        VendoredManifest.Load("KubeHa.Core.Provisioning.Rendering.Ingress.haproxy-kubernetes-ingress.yaml"));

    public static VendoredManifest Vendored => Manifest.Value;

    /// <summary>The image KubeHa installs: upstream's, with the release's tag.</summary>
    public static string Image => $"{UpstreamImage}:{Vendored.Version}";

    /// <summary>
    /// The manifest with the image pinned and, when <paramref name="forwarding"/> is given, the Service's http/https
    /// NodePorts set to the ports the dedicated HAProxy host forwards 80/443 to (otherwise Kubernetes picks them).
    /// </summary>
    public static string Render(IngressForwarding? forwarding)
    {
        var m = Vendored;
        var body = m.ReplaceOnce(m.Body, $"        image: {UpstreamImage}\n", $"        image: {Image}\n", "untagged controller image");
        if (forwarding is { } f)
        {
            body = m.ReplaceOnce(body, NodePortAnchor("http", 80, 8080), NodePortAnchor("http", 80, 8080) + $"    nodePort: {CheckedNodePort(f.HttpNodePort)}\n", "Service http port");
            body = m.ReplaceOnce(body, NodePortAnchor("https", 443, 8443), NodePortAnchor("https", 443, 8443) + $"    nodePort: {CheckedNodePort(f.HttpsNodePort)}\n", "Service https port");
        }

        return m.Header + body;
    }

    private static string NodePortAnchor(string name, int port, int targetPort) =>
        $"  - name: {name}\n    port: {port}\n    protocol: TCP\n    targetPort: {targetPort}\n";

    private static int CheckedNodePort(int port) => port is >= 30000 and <= 32767
        ? port
        : throw new ArgumentOutOfRangeException(nameof(port), port, "A NodePort is between 30000 and 32767.");
}
