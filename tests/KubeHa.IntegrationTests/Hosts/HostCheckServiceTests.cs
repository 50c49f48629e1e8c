using System.Collections.Concurrent;
using System.Text;
using KubeHa.Agent;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using KubeHa.Testing.Logging;
using KubeHa.Testing.Ssh;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static KubeHa.IntegrationTests.Remote.SshTestTargets;

namespace KubeHa.IntegrationTests.Hosts;

/// <summary>HostCheckService composed as the agent composes it: real SQLite file, real Data Protection key ring, real sshd.</summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HostCheckServiceTests(SshdFixture fixture) : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("kubeha-check-").FullName;
    private readonly CollectingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<int> _published = new();
    private ServiceProvider _services = null!;

    private TestUsers Users => fixture.Users;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KubeHa:DataDirectory"] = _dataDir,
            ["KubeHa:Ssh:ConnectTimeout"] = "00:00:10",
            ["KubeHa:Ssh:CheckTimeout"] = "00:00:30",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddKubeHaAgent(runWorker: false);
        _services = services.BuildServiceProvider();
        await _services.InitializeKubeHaDatabaseAsync();
        _services.GetRequiredService<InventoryEvents>().HostChanged += _published.Enqueue;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task CheckAsync_FirstAndSecondContact_PinsKeyOnceAndRecordsFacts()
    {
        var id = await AddHostAsync("key-host", fixture.Sshd.Port, TestUsers.KeyUser, Key(Users.Ed25519));

        await CheckAsync(id);
        var first = await LoadAsync(id);

        Assert.Equal(HostCheckStatus.Succeeded, first.CheckStatus);
        Assert.Null(first.CheckErrorKind);
        Assert.Equal("ssh-ed25519", first.HostKeyAlgorithm);
        Assert.Equal(fixture.Sshd.HostKeyFingerprint, first.HostKeyFingerprint);
        Assert.NotNull(first.HostKeyPinnedAt);
        Assert.NotNull(first.CheckedAt);
        Assert.NotNull(first.Facts);
        Assert.True(first.Facts.PasswordlessSudo);
        Assert.True(first.Facts.CpuCount > 0);
        Assert.True(_published.Count(h => h == id) >= 2, "published when Running and when finished");

        await CheckAsync(id);
        var second = await LoadAsync(id);
        Assert.Equal(HostCheckStatus.Succeeded, second.CheckStatus);
        Assert.Equal(first.HostKeyPinnedAt, second.HostKeyPinnedAt);
        Assert.Equal(first.HostKeyFingerprint, second.HostKeyFingerprint);
        AssertNoSecretsAnywhere();
    }

    [Fact]
    public async Task CheckAsync_HostKeyChanged_FailsWithMismatchAndKeepsPinUntilCleared()
    {
        await using var sshd = await fixture.StartExtraAsync();
        var id = await AddHostAsync("rekeyed-host", sshd.Port, TestUsers.KeyUser, Key(Users.Ed25519));
        await CheckAsync(id);
        var original = (await LoadAsync(id)).HostKeyFingerprint;
        Assert.Equal(sshd.HostKeyFingerprint, original);

        await sshd.RestartWithNewHostKeyAsync();
        await CheckAsync(id);
        var refused = await LoadAsync(id);

        Assert.Equal(HostCheckStatus.Failed, refused.CheckStatus);
        Assert.Equal(HostCheckErrorKind.HostKeyMismatch, refused.CheckErrorKind);
        Assert.Equal(original, refused.HostKeyFingerprint);
        Assert.Contains(original!, refused.CheckError, StringComparison.Ordinal);
        Assert.Contains(sshd.HostKeyFingerprint, refused.CheckError, StringComparison.Ordinal);

        // An operator re-trusts the host (the web UI clears the pin); the next check pins the new key.
        await using (var db = await DbAsync())
        {
            await db.Hosts.Where(h => h.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(h => h.HostKeyFingerprint, (string?)null)
                .SetProperty(h => h.HostKeyAlgorithm, (string?)null)
                .SetProperty(h => h.HostKeyPinnedAt, (DateTimeOffset?)null));
        }

        await CheckAsync(id);
        var retrusted = await LoadAsync(id);
        Assert.Equal(HostCheckStatus.Succeeded, retrusted.CheckStatus);
        Assert.Equal(sshd.HostKeyFingerprint, retrusted.HostKeyFingerprint);
        Assert.Null(retrusted.CheckError);
    }

    [Fact]
    public async Task CheckAsync_PasswordUser_KeyRecordedThenApprovedThenSucceedsWithSudoThroughStoredPassword()
    {
        var id = await AddHostAsync("password-host", fixture.Sshd.Port, TestUsers.PasswordUser, Password(Users.Password));

        await CheckAsync(id);
        var first = await LoadAsync(id);
        Assert.Equal(HostCheckStatus.Failed, first.CheckStatus);
        Assert.Equal(HostCheckErrorKind.HostKeyNotApproved, first.CheckErrorKind);
        Assert.Equal(fixture.Sshd.HostKeyFingerprint, first.HostKeyFingerprint); // shown to the operator
        Assert.Null(first.HostKeyPinnedAt);
        Assert.Contains(fixture.Sshd.HostKeyFingerprint, first.CheckError, StringComparison.Ordinal);

        var inventory = _services.GetRequiredService<HostInventory>();
        var wrong = await inventory.ApproveHostKeyAsync(id, "SHA256:not-the-recorded-one", CancellationToken.None);
        Assert.Contains("fingerprint", wrong.FieldErrors.Keys);
        Assert.True((await inventory.ApproveHostKeyAsync(id, fixture.Sshd.HostKeyFingerprint, CancellationToken.None)).Succeeded);

        await CheckAsync(id);
        var host = await LoadAsync(id);

        Assert.Equal(HostCheckStatus.Succeeded, host.CheckStatus);
        Assert.NotNull(host.HostKeyPinnedAt);
        Assert.False(host.Facts!.PasswordlessSudo);
        AssertNoSecretsAnywhere();
    }

    [Fact]
    public async Task CheckAsync_PasswordToUnknownHost_PasswordNeverSent()
    {
        // The host an operator registered could be anyone's: sshd logs every password attempt, and a wrong password
        // would fail authentication. Neither happens: the connection ends after the key exchange.
        await using var stranger = await fixture.StartExtraAsync();
        var id = await AddHostAsync("stranger", stranger.Port, TestUsers.PasswordUser, Password(Users.Password + "-wrong"));

        await CheckAsync(id);
        var host = await LoadAsync(id);

        Assert.Equal(HostCheckErrorKind.HostKeyNotApproved, host.CheckErrorKind);
        Assert.Equal(stranger.HostKeyFingerprint, host.HostKeyFingerprint);
        Assert.DoesNotContain("password for", stranger.Log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Accepted", stranger.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_KeyPinnedOnFirstUseThenPasswordCredential_KeyNeedsApprovalAgain()
    {
        var id = await AddHostAsync("switched", fixture.Sshd.Port, TestUsers.KeyUser, Key(Users.Ed25519));
        await CheckAsync(id);
        Assert.NotNull((await LoadAsync(id)).HostKeyPinnedAt); // trust on first use with a private key

        // Another host (another machine: a machine is registered once) brings the password credential along.
        var passwordCredential = await AddHostAsync("other", ClosedPort(), TestUsers.PasswordUser, Password(Users.Password));
        var credentialId = (await LoadAsync(passwordCredential)).CredentialId;
        var inventory = _services.GetRequiredService<HostInventory>();
        var saved = await inventory.UpdateAsync(id, new HostInput { Name = "switched", Address = "127.0.0.1", Port = fixture.Sshd.Port, Username = TestUsers.PasswordUser, CredentialId = credentialId }, CancellationToken.None);
        Assert.True(saved.Succeeded, string.Join(" ", saved.FieldErrors.Values) + saved.Error);

        var host = await LoadAsync(id);
        Assert.Equal(fixture.Sshd.HostKeyFingerprint, host.HostKeyFingerprint);
        Assert.Null(host.HostKeyPinnedAt);
        await CheckAsync(id);
        Assert.Equal(HostCheckErrorKind.HostKeyNotApproved, (await LoadAsync(id)).CheckErrorKind);
    }

    [Fact]
    public async Task CheckAsync_EachFailure_PersistsItsKindAndNoSecret()
    {
        var port = fixture.Sshd.Port;
        var cases = new (string Name, int Port, string User, (CredentialKind, string, string?) Credential, HostCheckErrorKind Expected, bool Pinned)[]
        {
            // First contact with a password: the key is recorded for approval and nothing is sent.
            ("wrong-password", port, TestUsers.PasswordUser, Password(Users.Password + "-wrong"), HostCheckErrorKind.HostKeyNotApproved, true),
            ("wrong-user", port, "khtest-nobody", Password(Users.Password), HostCheckErrorKind.HostKeyNotApproved, true),
            ("wrong-key", port, TestUsers.KeyUser, Key(Users.Stranger), HostCheckErrorKind.AuthenticationFailed, false),
            ("wrong-passphrase", port, TestUsers.KeyUser, (CredentialKind.PrivateKey, Users.EncryptedEd25519.PrivateKeyText, Users.EncryptedEd25519.Passphrase + "-wrong"), HostCheckErrorKind.WrongPassphrase, false),
            ("sudo-needs-password", port, TestUsers.SudoNeedsPasswordUser, Key(Users.Ed25519), HostCheckErrorKind.SudoRequiresPassword, true),
            ("refused", ClosedPort(), TestUsers.KeyUser, Key(Users.Ed25519), HostCheckErrorKind.ConnectionRefused, false),
        };

        foreach (var c in cases)
        {
            var id = await AddHostAsync(c.Name, c.Port, c.User, c.Credential);
            await CheckAsync(id);
            var host = await LoadAsync(id);

            Assert.Equal(HostCheckStatus.Failed, host.CheckStatus);
            Assert.Equal(c.Expected, host.CheckErrorKind);
            Assert.False(string.IsNullOrWhiteSpace(host.CheckError), c.Name);
            Assert.Contains($"{c.Port}", host.CheckError, StringComparison.Ordinal);
            Assert.Equal(c.Pinned, host.HostKeyFingerprint is not null);
            Assert.Null(host.Facts);
            AssertNoSecret(Users, host.CheckError);
            Assert.DoesNotContain(Users.Password + "-wrong", host.CheckError, StringComparison.Ordinal);
        }

        AssertNoSecretsAnywhere();
    }

    private static (CredentialKind, string, string?) Key(TestKey key) => (CredentialKind.PrivateKey, key.PrivateKeyText, key.Passphrase);

    private static (CredentialKind, string, string?) Password(string password) => (CredentialKind.Password, password, null);

    [Fact]
    public async Task CheckAsync_HostnameCannotBeANodeName_RefusedWithClearMessageAndNoFacts()
    {
        // Root on a host sets a hostname that would run a command wherever it reached a script unquoted.
        await using var hostile = await fixture.StartExtraAsync("w1;touch /tmp/pwned;#");
        var id = await AddHostAsync("hostile", hostile.Port, TestUsers.KeyUser, Key(Users.Ed25519));

        await CheckAsync(id);
        var host = await LoadAsync(id);

        Assert.Equal(HostCheckStatus.Failed, host.CheckStatus);
        Assert.Equal(HostCheckErrorKind.InvalidFacts, host.CheckErrorKind);
        Assert.Contains("'w1;touch /tmp/pwned;#'", host.CheckError, StringComparison.Ordinal);
        Assert.Contains("RFC 1123", host.CheckError, StringComparison.Ordinal);
        Assert.Contains("hostnamectl set-hostname", host.CheckError, StringComparison.Ordinal);
        Assert.Null(host.Facts);
    }

    [Fact]
    public async Task CheckAsync_HostAcceptsTheLoginThenStalls_FailsWithTimeoutAndCanBeCheckedAgain()
    {
        // Every command on this host hangs after a normal login (sshd's ForceCommand; it ends on its own later).
        await using var stalling = await fixture.StartExtraWithForceCommandAsync("sleep 120");
        var id = await AddHostAsync("stalling-host", stalling.Port, TestUsers.KeyUser, Key(Users.Ed25519));

        var check = CheckAsync(id);
        var finished = await Task.WhenAny(check, Task.Delay(TimeSpan.FromMinutes(3)));
        Assert.Same(check, finished);
        await check;
        var host = await LoadAsync(id);

        Assert.Equal(HostCheckStatus.Failed, host.CheckStatus);
        Assert.Equal(HostCheckErrorKind.Timeout, host.CheckErrorKind);
        Assert.Contains("did not finish within 30 s", host.CheckError, StringComparison.Ordinal);
        Assert.Contains("stopped answering", host.CheckError, StringComparison.Ordinal);
        Assert.Null(host.Facts);

        // No longer "running": the inventory lets an operator re-check it (and clear its pin) again.
        var view = Assert.Single(await _services.GetRequiredService<HostInventory>().ListAsync(CancellationToken.None), h => h.Id == id);
        Assert.False(view.IsBusy);
        Assert.True((await _services.GetRequiredService<HostInventory>().TrustNewHostKeyAsync(id, CancellationToken.None)).Succeeded);
    }

    private async Task<int> AddHostAsync(string name, int port, string user, (CredentialKind Kind, string Secret, string? Passphrase) credential)
    {
        var protector = _services.GetRequiredService<ISecretProtector>();
        await using var db = await DbAsync();
        var host = new ManagedHost
        {
            Name = name,
            Address = "127.0.0.1",
            Port = port,
            Username = user,
            Credential = new Credential
            {
                Name = $"{name}-credential",
                Kind = credential.Kind,
                ProtectedSecret = protector.Protect(credential.Secret),
                ProtectedPassphrase = credential.Passphrase is null ? null : protector.Protect(credential.Passphrase),
            },
        };
        db.Hosts.Add(host);
        await db.SaveChangesAsync();
        return host.Id;
    }

    private Task CheckAsync(int id) =>
        _services.GetRequiredService<IHostCheckService>().CheckAsync(id, CancellationToken.None);

    private async Task<ManagedHost> LoadAsync(int id)
    {
        await using var db = await DbAsync();
        return await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == id);
    }

    private Task<KubeHaDbContext> DbAsync() =>
        _services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();

    private void AssertNoSecretsAnywhere()
    {
        Assert.NotEmpty(_logs.Entries);
        foreach (var entry in _logs.Entries)
        {
            AssertNoSecret(Users, entry);
        }

        // The catalog file (and its WAL) hold secrets only encrypted.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_dataDir, "kubeha.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            AssertNoSecret(Users, Encoding.UTF8.GetString(memory.ToArray()));
        }
    }

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
