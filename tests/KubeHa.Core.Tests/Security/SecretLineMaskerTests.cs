using KubeHa.Core.Security;

namespace KubeHa.Core.Tests.Security;

/// <summary>Output arrives line by line (SshSession pumps each stream): what only the next lines show is masked too.</summary>
public sealed class SecretLineMaskerTests
{
    [Fact]
    public void Apply_PrivateKeyPrintedLineByLine_EveryBodyLineMasked()
    {
        var masker = new SecretLineMasker(new KnownSecretMasker([]).Apply);
        string[] lines =
        [
            "$ cat /etc/kubernetes/pki/sa.key",
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEAwVxqkBvhlAQ+unrelated/looking+base64Tx0",
            "short",
            "-----END RSA PRIVATE KEY-----",
            "done",
        ];

        var masked = lines.Select(masker.Apply).ToList();

        Assert.Equal("$ cat /etc/kubernetes/pki/sa.key", masked[0]);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", masked[1], StringComparison.Ordinal);
        Assert.Equal(SecretMasker.Mask, masked[2]);
        Assert.Equal(SecretMasker.Mask, masked[3]);
        Assert.Equal("-----END RSA PRIVATE KEY-----", masked[4]);
        Assert.Equal("done", masked[5]);
    }

    [Fact]
    public void Apply_ProseAboutBasicSetup_Unchanged()
    {
        var masker = new SecretLineMasker(new KnownSecretMasker([]).Apply);

        Assert.Equal("Basic authentication is disabled; see Basic setup", masker.Apply("Basic authentication is disabled; see Basic setup"));
    }

    [Theory]
    [InlineData("    client-key-data:", "      LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJ")]
    [InlineData("[upload-certs] Using certificate key:", "not-hex-but-secret-anyway")]
    [InlineData("  token:", "    abcdef0123456789")]
    [InlineData("\"password\":", "  \"hunter22\"")]
    public void Apply_SecretValueOnTheLineAfterItsKey_Masked(string key, string value)
    {
        var masker = new SecretLineMasker(new KnownSecretMasker([]).Apply);

        var first = masker.Apply(key);
        var second = masker.Apply(value);
        var third = masker.Apply("clusters:");

        Assert.Equal(key, first);
        Assert.Equal(value[..(value.Length - value.TrimStart().Length)] + SecretMasker.Mask, second);
        Assert.Equal("clusters:", third);
    }

    [Fact]
    public void Apply_KnownSecretsStillMasked()
    {
        var masker = new SecretLineMasker(new KnownSecretMasker(["correct-horse-battery"]).Apply);

        Assert.Equal("echo ***", masker.Apply("echo correct-horse-battery"));
    }
}
