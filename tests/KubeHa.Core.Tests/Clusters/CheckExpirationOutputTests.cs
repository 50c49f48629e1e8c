using KubeHa.Core.Clusters.Certificates;

namespace KubeHa.Core.Tests.Clusters;

/// <summary>kubeadm certs check-expiration's text output, as kubeadm 1.23+ and older versions print it.</summary>
public sealed class CheckExpirationOutputTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    // kubeadm 1.23+: kubeconfig files name their CA; a stacked control plane lists the etcd certificates.
    private const string Current = """
        [check-expiration] Reading configuration from the cluster...
        [check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'

        CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
        admin.conf                 Dec 05, 2027 11:59 UTC   364d            ca                      no      
        apiserver                  Dec 25, 2026 11:58 UTC   19d             ca                      no      
        apiserver-etcd-client      Dec 06, 2026 08:00 UTC   20h             etcd-ca                 no      
        apiserver-kubelet-client   Dec 01, 2026 11:59 UTC   <invalid>       ca                      no      
        front-proxy-client         Dec 05, 2027 11:59 UTC   364d            front-proxy-ca          yes     

        CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
        ca                      Dec 03, 2036 11:58 UTC   9y              no      
        etcd-ca                 Dec 03, 2036 11:58 UTC   9y              no      
        """;

    [Fact]
    public void Parse_CurrentKubeadm_EveryCertificateAndCaWithTheHostsResidualDays()
    {
        var certificates = CheckExpirationOutput.Parse(Current.ReplaceLineEndings("\n"), "node1", Now);

        Assert.Equal(["admin.conf", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "front-proxy-client", "ca", "etcd-ca"],
            certificates.Select(c => c.Name));
        Assert.All(certificates, c => Assert.Equal("node1", c.Host));

        var apiserver = certificates.Single(c => c.Name == "apiserver");
        Assert.Equal(new DateTimeOffset(2026, 12, 25, 11, 58, 0, TimeSpan.Zero), apiserver.ExpiresAt);
        Assert.Equal(19, apiserver.ResidualDays);
        Assert.Equal("ca", apiserver.Authority);
        Assert.False(apiserver.IsAuthority);

        Assert.Equal(0, certificates.Single(c => c.Name == "apiserver-etcd-client").ResidualDays); // 20h: under a day
        Assert.Equal("etcd-ca", certificates.Single(c => c.Name == "apiserver-etcd-client").Authority);
        Assert.Equal(-5, certificates.Single(c => c.Name == "apiserver-kubelet-client").ResidualDays); // <invalid>: expired 4 days 0:01 ago
        Assert.True(certificates.Single(c => c.Name == "front-proxy-client").ExternallyManaged);

        var ca = certificates.Single(c => c.Name == "ca");
        Assert.True(ca.IsAuthority);
        Assert.Null(ca.Authority);
        Assert.Equal((int)Math.Floor((ca.ExpiresAt - Now).TotalDays), ca.ResidualDays); // "9y" is too coarse: counted from the expiry
    }

    [Fact]
    public void Parse_KubeadmBefore123_KubeconfigRowsWithoutAuthority()
    {
        const string old = """
            CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
            admin.conf                 Dec 30, 2026 23:36 UTC   25d                                     no
            apiserver                  Dec 30, 2026 23:36 UTC   25d             ca                      no

            CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
            front-proxy-ca          Dec 28, 2029 23:36 UTC   3y              no
            """;

        var certificates = CheckExpirationOutput.Parse(old, "cp-a", Now);

        var admin = certificates.Single(c => c.Name == "admin.conf");
        Assert.Null(admin.Authority);
        Assert.False(admin.IsAuthority);
        Assert.Equal(25, admin.ResidualDays);
        Assert.Equal("ca", certificates.Single(c => c.Name == "apiserver").Authority);
        Assert.True(certificates.Single(c => c.Name == "front-proxy-ca").IsAuthority);
    }

    [Theory]
    [InlineData("")]
    [InlineData("error execution phase: couldn't read configuration from the cluster\nTo see the stack trace of this error execute with --v=5 or higher")]
    [InlineData("!MISSING! front-proxy-client\nCERTIFICATE   EXPIRES\nnot a row at all")]
    public void Parse_NoRows_Nothing(string output) =>
        Assert.Empty(CheckExpirationOutput.Parse(output, "node1", Now));
}
