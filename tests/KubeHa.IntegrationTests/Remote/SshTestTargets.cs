using KubeHa.Core.Remote;
using KubeHa.Testing.Ssh;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.Remote;

/// <summary>Shorthands for targets against the fixture's sshd.</summary>
internal static class SshTestTargets
{
    public static SshConnector Connector(TimeSpan? timeout = null) =>
        new(Options.Create(new SshOptions { ConnectTimeout = timeout ?? TimeSpan.FromSeconds(15) }), NullLogger<SshConnector>.Instance);

    public static SshTarget Key(SshdHost sshd, TestKey key, string user = TestUsers.KeyUser, string? pin = null, string? passphrase = null) =>
        new(sshd.Address, sshd.Port, user, SshCredential.FromPrivateKey(key.PrivateKeyText, passphrase ?? key.Passphrase), pin);

    /// <summary>A password target; pinned to the sshd's key unless told (a password is never sent on first contact).</summary>
    public static SshTarget Password(SshdHost sshd, string password, string user = TestUsers.PasswordUser, string? pin = null) =>
        new(sshd.Address, sshd.Port, user, SshCredential.FromPassword(password), pin ?? sshd.HostKeyFingerprint);

    /// <summary>Every secret string the tests hand out, to prove none leaks.</summary>
    public static IEnumerable<string> Secrets(TestUsers users) =>
        new[] { users.Password, users.EncryptedEd25519.Passphrase! }
            .Concat(new[] { users.Ed25519, users.EncryptedEd25519, users.RsaPem, users.Stranger }
                .SelectMany(k => k.PrivateKeyText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal))));

    public static void AssertNoSecret(TestUsers users, string? text)
    {
        if (text is null)
        {
            return;
        }

        foreach (var secret in Secrets(users))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
