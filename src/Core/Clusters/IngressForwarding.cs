namespace KubeHa.Core.Clusters;

/// <summary>HTTP and HTTPS on the dedicated HAProxy host forwarded (TCP) to the ingress controller's NodePorts on every worker.</summary>
/// <param name="HttpNodePort">NodePort of the ingress controller's HTTP port (30000-32767).</param>
/// <param name="HttpsNodePort">NodePort of the ingress controller's HTTPS port (30000-32767).</param>
public sealed record IngressForwarding(int HttpNodePort, int HttpsNodePort);
