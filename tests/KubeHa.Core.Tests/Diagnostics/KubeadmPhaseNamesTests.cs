using KubeHa.Core.Diagnostics;

namespace KubeHa.Core.Tests.Diagnostics;

public sealed class KubeadmPhaseNamesTests
{
    [Theory]
    [InlineData("[config/images] Pulled registry.k8s.io/kube-apiserver:v1.31.2", "images-pulled")]
    [InlineData("[config] Reading configuration from the cluster...", "config")]
    [InlineData("[preflight/images] Pulling images required for setting up a Kubernetes cluster", "preflight")]
    [InlineData("[certs] Using certificateDir folder \"/etc/kubernetes/pki\"", "certs")]
    public void Of_KubeadmLine_NamesItsPhase(string line, string phase)
        => Assert.Equal(phase, KubeadmPhaseNames.Of(line));
}
