using KubeHa.Core.Remote;

namespace KubeHa.Core.Tests.Remote;

public sealed class SshFingerprintTests
{
    // Produced by ssh-keygen 9.2: "256 SHA256:JWBD/QK9hGgRN3e1SzhkDlW9BMI5qguMBCoCyKYgaqw x (ED25519)".
    private const string PublicKeyLine = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJKlw21ZbnrTQSeYkRD5Ye8EFGJ9nw5OE3PBu0//VP9V x";

    [Fact]
    public void Sha256OfPublicKeyLine_MatchesSshKeygen()
    {
        Assert.Equal("SHA256:JWBD/QK9hGgRN3e1SzhkDlW9BMI5qguMBCoCyKYgaqw", SshFingerprint.Sha256OfPublicKeyLine(PublicKeyLine));
    }

    [Fact]
    public void Sha256_NoBase64Padding()
    {
        var fingerprint = SshFingerprint.Sha256(new byte[] { 1, 2, 3 });

        Assert.StartsWith("SHA256:", fingerprint, StringComparison.Ordinal);
        Assert.DoesNotContain('=', fingerprint);
        Assert.Equal(7 + 43, fingerprint.Length);
    }

    [Fact]
    public void KeyType_ReadsBlobHeader()
    {
        Assert.Equal("ssh-ed25519", SshFingerprint.KeyType(Convert.FromBase64String(PublicKeyLine.Split(' ')[1])));
        Assert.Equal("unknown", SshFingerprint.KeyType([0, 0]));
        Assert.Equal("unknown", SshFingerprint.KeyType([0, 0, 0, 200, 1]));
    }
}
