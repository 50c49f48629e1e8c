using KubeHa.Core.Hosts;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Tests.Remote;

public sealed class SshPrivateKeyLoaderTests
{
    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----", true)]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", true)]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", false)]
    [InlineData("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\n", true)]
    [InlineData("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", false)]
    [InlineData("not a key", false)]
    public void IsEncrypted_Headers(string text, bool expected)
    {
        Assert.Equal(expected, SshPrivateKeyLoader.IsEncrypted(text));
    }

    [Theory]
    [InlineData("none", false)]
    [InlineData("aes256-ctr", true)]
    public void IsEncrypted_OpenSshCipherName(string cipher, bool expected)
    {
        Assert.Equal(expected, SshPrivateKeyLoader.IsEncrypted(OpenSshKey(cipher)));
    }

    [Fact]
    public void Load_EncryptedKeyWithoutPassphrase_WrongPassphrase()
    {
        var target = new SshTarget("h", 22, "u", SshCredential.FromPrivateKey(OpenSshKey("aes256-ctr")), null);

        var ex = Assert.Throws<HostCheckException>(() => SshPrivateKeyLoader.Load(target));

        Assert.Equal(HostCheckErrorKind.WrongPassphrase, ex.Kind);
    }

    [Fact]
    public void Load_Garbage_InvalidCredential()
    {
        var target = new SshTarget("h", 22, "u", SshCredential.FromPrivateKey("hello"), null);

        var ex = Assert.Throws<HostCheckException>(() => SshPrivateKeyLoader.Load(target));

        Assert.Equal(HostCheckErrorKind.InvalidCredential, ex.Kind);
        Assert.DoesNotContain("hello", ex.Message, StringComparison.Ordinal);
    }

    private static string OpenSshKey(string cipher)
    {
        var body = new List<byte>("openssh-key-v1\0"u8.ToArray());
        body.AddRange([0, 0, 0, (byte)cipher.Length]);
        body.AddRange(System.Text.Encoding.ASCII.GetBytes(cipher));
        body.AddRange(new byte[16]);
        return $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Convert.ToBase64String(body.ToArray())}\n-----END OPENSSH PRIVATE KEY-----\n";
    }
}
