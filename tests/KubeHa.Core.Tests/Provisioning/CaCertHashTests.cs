using KubeHa.Core.Provisioning.Rendering;

namespace KubeHa.Core.Tests.Provisioning;

public sealed class CaCertHashTests
{
    // Generated with `openssl req -x509 -newkey rsa:2048`; expected value from
    // `openssl x509 -pubkey -noout -in ca.crt | openssl pkey -pubin -outform der | sha256sum`.
    private const string CaPem = """
        -----BEGIN CERTIFICATE-----
        MIIDCzCCAfOgAwIBAgIUSG9B4nVweFzQLtilNknS0YMA+hAwDQYJKoZIhvcNAQEL
        BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjExMjYwNzIxNTlaFw0zNjEx
        MjMwNzIxNTlaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
        AQUAA4IBDwAwggEKAoIBAQCmgpKKReuiAFOclkoR2svv9BM7WJnaYro9TAYA2qPM
        fUlYALAQyrkoNz8CwICR7eznvuFO+vezIvkXRjPPICO13hlD+frZE5UPt2UPImkd
        hT/YVyjuYyYDQgNGQiJwc9crdoUySKp0yFAxD40UtX9n09WMNHDnCIKP80JoTV2r
        wCIkOHoBtS41jydOnXa9d4FRK2y+nDcrtZr+xlGX5bHPd58VSC41wCyhHewXKmW0
        pEwUsS33BO+jXjR4Jtrp2ZguIXxQAGoCTymVLJ3R+VbTyAjYJwz3Cbqw/KYm/3xA
        wqeQ/08+6boEd7pgHNHlR/9HnQW4ylnt5r1X9K+616PxAgMBAAGjUzBRMB0GA1Ud
        DgQWBBT/zxCXdpqNU4OiMF5CcL660PxgYjAfBgNVHSMEGDAWgBT/zxCXdpqNU4Oi
        MF5CcL660PxgYjAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQCN
        i3gj/VAlEXKbQaiY/UZheqTPfQS2YsgH/NczLaPABhENiohM+M8Whm39miAuKl0b
        59FJ3OwosiF6MN7Qd9a5aGrruFt/NhQbAVEycf9jucylHlhLF2s3tQEsr2g6J5BZ
        xLao1CeN6cADd6KUaeeRGCMPWJJyeTdA98zlryG3r235vyuLvmDbaEJgo9Nu0TSG
        S3svowy+GYaAywhz7m8TWS+BuFpXx05TEgSQB0MF1vwpx6CRYo5EdrANEfVQPYR2
        4fnGUz1RGurMJaGkeJ/8UF+geA+e6LGCq5I1Iqek3d32AJIwfytJxF3SvXkKndNR
        zXc7Ntk9we8JwUqNS6dg
        -----END CERTIFICATE-----
        """;

    [Fact]
    public void Compute_OpensslGeneratedCa_MatchesOpensslSpkiDigest()
    {
        Assert.Equal("sha256:9f6d075986a51944f4989b90165bea89a3e40292942659549d26737d692f1001", CaCertHash.Compute(CaPem));
    }

    [Fact]
    public void JoinSecrets_Generated_HaveKubeadmFormats()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Matches("^[a-z0-9]{6}\\.[a-z0-9]{16}$", JoinSecrets.NewBootstrapToken());
            Assert.Matches("^[a-f0-9]{64}$", JoinSecrets.NewCertificateKey());
        }

        Assert.NotEqual(JoinSecrets.NewBootstrapToken(), JoinSecrets.NewBootstrapToken());
    }
}
