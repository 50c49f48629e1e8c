namespace KubeHa.Lab.Tests;

/// <summary>
/// Certificates age on the lab clock, as kubeadm's "Certificate Management with kubeadm" page describes: after a year
/// kubectl fails on the expired apiserver certificate, `kubeadm certs renew all` writes new ones, and the apiserver
/// serves them only once its static pod restarts.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class CertificatesTests(LabFixture lab)
{
    private const string Kubectl = "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s get nodes";

    private Task<bool> KubectlWorksAsync(string host) =>
        LabFixture.EventuallyAsync(() => Task.FromResult(lab.Ssh(host, Kubectl).Exit == 0), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ClockAdvance400d_CertificatesExpire_RenewAllAndStaticPodRestartMendIt()
    {
        try
        {
            var fresh = lab.Ssh("node1", "sudo kubeadm certs check-expiration");
            Assert.Matches(@"\napiserver\s+\w{3} \d\d, \d{4} \d\d:\d\d UTC\s+364d\s+ca\s+no", fresh.Out);
            Assert.Matches(@"\nca\s+\w{3} \d\d, \d{4} \d\d:\d\d UTC\s+9y\s+no", fresh.Out);

            await lab.Lab.AdvanceClockAsync(TimeSpan.FromDays(400), default);
            var expired = lab.Ssh("node1", "sudo kubeadm certs check-expiration");
            Assert.Matches(@"\napiserver\s+\w{3} \d\d, \d{4} \d\d:\d\d UTC\s+<invalid>\s+ca\s+no", expired.Out);
            Assert.Matches(@"\nca\s+\w{3} \d\d, \d{4} \d\d:\d\d UTC\s+8y\s+no", expired.Out);
            foreach (var host in LabFixture.ControlPlanes)
            {
                var kubectl = lab.Ssh(host, Kubectl);
                Assert.NotEqual(0, kubectl.Exit);
                Assert.Contains("x509: certificate has expired or is not yet valid", kubectl.Err, StringComparison.Ordinal);
            }

            foreach (var host in LabFixture.ControlPlanes)
            {
                var renew = lab.Ssh(host, "sudo kubeadm certs renew all");
                Assert.True(renew.Exit == 0, renew.Err);
                Assert.Contains("certificate for serving the Kubernetes API renewed", renew.Out, StringComparison.Ordinal);
                Assert.Contains("Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.",
                    renew.Out, StringComparison.Ordinal);
                Assert.Matches(@"\napiserver\s+\w{3} \d\d, \d{4} \d\d:\d\d UTC\s+364d\s+ca\s+no", lab.Ssh(host, "sudo kubeadm certs check-expiration").Out);
            }
            // The running apiservers still hold the certificates they started with.
            Assert.Contains("x509: certificate has expired or is not yet valid", lab.Ssh("node1", Kubectl).Err, StringComparison.Ordinal);

            foreach (var host in LabFixture.ControlPlanes)
            {
                var restart = lab.Ssh(host, "sudo mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/ && sleep 3 && sudo mv /etc/kubernetes/kube-apiserver.yaml /etc/kubernetes/manifests/");
                Assert.True(restart.Exit == 0, restart.Err);
            }
            foreach (var host in LabFixture.ControlPlanes) Assert.True(await KubectlWorksAsync(host), $"kubectl on {host} after the restart");
        }
        finally
        {
            await lab.Lab.ResetClockAsync(default);
        }
    }
}
