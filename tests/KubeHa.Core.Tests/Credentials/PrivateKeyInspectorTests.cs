using KubeHa.Core.Credentials;
using KubeHa.Core.Tests.Support;

namespace KubeHa.Core.Tests.Credentials;

public sealed class PrivateKeyInspectorTests(TestKeys keys) : IClassFixture<TestKeys>
{
    [Fact]
    public void Inspect_UnencryptedEd25519_ReturnsSshKeygenFingerprint()
    {
        var result = PrivateKeyInspector.Inspect(keys.Ed25519.PrivateKey, null);

        Assert.True(result.IsValid);
        Assert.False(result.Encrypted);
        Assert.Equal(keys.Ed25519.Fingerprint, result.Fingerprint);
    }

    [Fact]
    public void Inspect_Ecdsa_ReturnsSshKeygenFingerprint()
        => Assert.Equal(keys.Ecdsa.Fingerprint, PrivateKeyInspector.Inspect(keys.Ecdsa.PrivateKey, null).Fingerprint);

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa-pem")]
    public void Inspect_EncryptedKeyWithPassphrase_ReturnsFingerprint(string which)
    {
        var key = which == "ed25519" ? keys.Ed25519Encrypted : keys.RsaPemEncrypted;

        var result = PrivateKeyInspector.Inspect(key.PrivateKey, TestKeys.Passphrase);

        Assert.True(result.IsValid, result.Error);
        Assert.True(result.Encrypted);
        Assert.Equal(key.Fingerprint, result.Fingerprint);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa-pem")]
    public void Inspect_EncryptedKeyWithoutPassphrase_AsksForPassphrase(string which)
    {
        var key = which == "ed25519" ? keys.Ed25519Encrypted : keys.RsaPemEncrypted;

        var result = PrivateKeyInspector.Inspect(key.PrivateKey, "");

        Assert.Equal(nameof(CredentialInput.Passphrase), result.ErrorField);
        Assert.Equal(PrivateKeyInspector.PassphraseNeeded, result.Error);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa-pem")]
    public void Inspect_EncryptedKeyWithWrongPassphrase_SaysPassphraseIsWrong(string which)
    {
        var key = which == "ed25519" ? keys.Ed25519Encrypted : keys.RsaPemEncrypted;

        var result = PrivateKeyInspector.Inspect(key.PrivateKey, "not the passphrase");

        Assert.Equal(nameof(CredentialInput.Passphrase), result.ErrorField);
        Assert.Equal(PrivateKeyInspector.WrongPassphrase, result.Error);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotakey\n-----END OPENSSH PRIVATE KEY-----")]
    public void Inspect_Garbage_SaysKeyIsUnreadable(string text)
    {
        var result = PrivateKeyInspector.Inspect(text, null);

        Assert.Equal(nameof(CredentialInput.PrivateKey), result.ErrorField);
        Assert.Equal(PrivateKeyInspector.Unreadable, result.Error);
    }

    [Fact]
    public void Inspect_PublicKey_SaysToPasteThePrivateKey()
        => Assert.Equal(PrivateKeyInspector.PublicKeyGiven, PrivateKeyInspector.Inspect(keys.Ed25519.PublicKey, null).Error);

    [Fact]
    public void Inspect_Blank_AsksForAKey()
        => Assert.Equal(PrivateKeyInspector.MissingKey, PrivateKeyInspector.Inspect("  ", null).Error);
}
