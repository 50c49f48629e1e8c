using KubeHa.Core.Security;

namespace KubeHa.Core.Tests.Security;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Apply_BootstrapToken_KeepsTokenIdAndMasksSecret()
    {
        var masked = SecretMasker.Apply("[bootstrap-token] Using token: abcdef.0123456789abcdef");

        Assert.Equal("[bootstrap-token] Using token: abcdef.****************", masked);
    }

    [Fact]
    public void Apply_TokenFlagWithNonStandardValue_MasksPartAfterTheDot()
    {
        var masked = SecretMasker.Apply("kubeadm join 127.0.0.1:5443 --token a1o01x.tokenblabla --experimental-control-plane");

        Assert.DoesNotContain("tokenblabla", masked, StringComparison.Ordinal);
        Assert.Contains("--token a1o01x.****************", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--certificate-key 7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9")]
    [InlineData("--certificate-key=7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9")]
    [InlineData("[upload-certs] Using certificate key:\n7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9")]
    [InlineData("  certificateKey: \"7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9\"")]
    [InlineData("key 7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9 on its own")]
    public void Apply_CertificateKey_IsMasked(string text)
    {
        var masked = SecretMasker.Apply(text);

        Assert.DoesNotContain("7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9", masked, StringComparison.Ordinal);
        Assert.Contains(SecretMasker.Mask, masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_DiscoveryCaHash_StaysReadable()
    {
        const string text = "--discovery-token-ca-cert-hash sha256:4c23033729b477d1fc30ae4b4041fe7dae70fa8defd5ecb57c571e969e00f8e0";

        Assert.Equal(text, SecretMasker.Apply(text));
    }

    [Fact]
    public void Apply_PrivateKeyBlock_MasksTheWholeBody()
    {
        const string text = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretsecret\nmoresecret==\n-----END RSA PRIVATE KEY-----\nafter";

        var masked = SecretMasker.Apply(text);

        Assert.DoesNotContain("secret", masked, StringComparison.Ordinal);
        Assert.StartsWith("before\n-----BEGIN RSA PRIVATE KEY----- ", masked, StringComparison.Ordinal);
        Assert.EndsWith("-----END RSA PRIVATE KEY-----\nafter", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnterminatedPrivateKey_MasksToTheEnd()
    {
        var masked = SecretMasker.Apply("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA");

        Assert.DoesNotContain("b3BlbnNzaC1rZXktdjEAAAAA", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_Certificate_IsNotMasked()
    {
        const string text = "-----BEGIN CERTIFICATE-----\nMIIC5zCCAc+gAwIBAgIBADANBg\n-----END CERTIFICATE-----";

        Assert.Equal(text, SecretMasker.Apply(text));
    }

    [Theory]
    [InlineData("password=hunter2!", "hunter2!")]
    [InlineData("db password: \"s3cr3t value\"", "s3cr3t value")]
    [InlineData("PASSWD=abc123", "abc123")]
    [InlineData("client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=")]
    [InlineData("Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6Ij", "eyJhbGciOiJSUzI1NiIsImtpZCI6Ij")]
    [InlineData("https://admin:pa55word@registry.example.com/v2/", "pa55word")]
    [InlineData("{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"Zm9vYmFyLXNlY3JldC10b2tlbg\"}}", "Zm9vYmFyLXNlY3JldC10b2tlbg")]
    [InlineData("{\"access_token\": \"gho_16C7e42F292c6912E7710c838347Ae178B4a\"}", "gho_16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("PGPASSWORD=Tr0ub4dor psql -h db -U kubeha", "Tr0ub4dor")]
    [InlineData("export KUBEHA_DB_PASSWORD='c0rrect horse'", "c0rrect horse")]
    [InlineData("Authorization: Basic a3ViZWhhOnMzY3IzdA==", "a3ViZWhhOnMzY3IzdA==")]
    [InlineData("curl -H 'X-Api: kubeha_Jq3uTz0vXyQ5bN8mK2pL7rS4tW9eA1dF6gH0iJ3kM5n' http://panel/api/v1/clusters", "Jq3uTz0vXyQ5bN8mK2pL7rS4tW9eA1dF6gH0iJ3kM5n")]
    [InlineData("sa token eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlLWJ5dGVz in output", "eyJpc3MiOiJrdWJlcm5ldGVzIn0")]
    public void Apply_PasswordsAndCredentials_AreMasked(string text, string secret)
    {
        var masked = SecretMasker.Apply(text);

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kubeadm join <master-ip>:<master-port> --token <token> --discovery-token-ca-cert-hash sha256:<hash>")]
    [InlineData("error downloading the secret: Secret \"kubeadm-certs\" was not found in the \"kube-system\" Namespace")]
    [InlineData("token id \"aec65f\" is invalid for this cluster or it has expired")]
    [InlineData("[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles")]
    public void Apply_TextWithoutSecrets_IsUnchanged(string text)
    {
        Assert.Equal(text, SecretMasker.Apply(text));
        Assert.False(SecretMasker.ContainsSecret(text));
    }

    [Fact]
    public void Apply_AppliedTwice_GivesTheSameText()
    {
        const string text = "kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef --certificate-key 7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9 password=x";

        var once = SecretMasker.Apply(text);

        Assert.Equal(once, SecretMasker.Apply(once));
    }

    [Fact]
    public void Apply_OutputOfSeveralMegabytes_MasksSecretsAnywhereWithoutTimingOut()
    {
        // 50,000-line outputs made the whole-output scan outlast the regex timeout and fail the run (bench/README.md).
        var lines = Enumerable.Range(1, 120_000).Select(i => $"khbench {i} 1795691274.{i:000000} deadbeef cafe 0123456789");
        var text = "Using token: abcdef.0123456789abcdef\n" + string.Join('\n', lines) + "\n--certificate-key 7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9\n";

        var masked = SecretMasker.Apply(text);

        Assert.True(text.Length > 40 * SecretMasker.SegmentChars);
        Assert.StartsWith("Using token: abcdef.****************\n", masked, StringComparison.Ordinal);
        Assert.EndsWith("--certificate-key ****************\n", masked, StringComparison.Ordinal);
        Assert.Contains("khbench 120000 1795691274.120000 deadbeef cafe 0123456789", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_LongOutputWithKeyOnTheLineAfterAColonAtASegmentEnd_MasksTheKey()
    {
        // "Using token:" ends just past the first segment's length; its value is on the next line.
        var filler = new string('x', SecretMasker.SegmentChars - 10) + "\n";
        var text = filler + "[bootstrap] Using token:\n  not-hex-secret-value\n" + new string('y', 100) + "\n";

        var masked = SecretMasker.Apply(text);

        Assert.DoesNotContain("not-hex-secret-value", masked, StringComparison.Ordinal);
        Assert.Equal(filler + "[bootstrap] Using token:\n  ****************\n" + new string('y', 100) + "\n", masked);
    }
}
