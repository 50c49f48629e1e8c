using KubeHa.Web.Tests.Infrastructure;
using KubeHa.Core.Credentials;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using KubeHa.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Security;

/// <summary>
/// Starts the real app on a temporary data directory, stores credentials through the services, and reads the
/// SQLite database and its write-ahead log as raw bytes: no private key, passphrase or password may appear.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecretsAtRestTests : IDisposable
{
    private const string Passphrase = "Tr0ub4dor&3-passphrase-kubeha";
    private const string Password = "Sup3r-S3cret-password-kubeha";

    private readonly TempDirectory _data = new();
    private readonly TempDirectory _scratch = new();

    public void Dispose()
    {
        _data.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task CreateAsync_KeyAndPasswordCredentials_NoSecretInDatabaseOrWal()
    {
        await using var app = NewApp();
        _ = app.Server; // starts the host: migrations, Data Protection
        var store = app.Services.GetRequiredService<CredentialStore>();
        var ed25519 = SshKeygen.Generate(_scratch.Path, "ed25519", Passphrase);
        var rsa = SshKeygen.Generate(_scratch.Path, "rsa", "");

        Assert.True((await store.CreateAsync(new CredentialInput { Name = "at-rest-ed25519", Kind = CredentialKind.PrivateKey, PrivateKey = ed25519, Passphrase = Passphrase }, default)).Succeeded);
        Assert.True((await store.CreateAsync(new CredentialInput { Name = "rsa", Kind = CredentialKind.PrivateKey, PrivateKey = rsa }, default)).Succeeded);
        Assert.True((await store.CreateAsync(new CredentialInput { Name = "pw", Kind = CredentialKind.Password, Password = Password }, default)).Succeeded);

        var stored = SecretScan.ReadDatabase(_data.Path);
        Assert.Contains("at-rest-ed25519", stored, StringComparison.Ordinal); // the rows are in these files
        foreach (var secret in new[] { KeyBodyLine(ed25519), KeyBodyLine(rsa), Passphrase, Password })
        {
            Assert.False(SecretScan.Contains(stored, secret), "A secret was found in clear in the SQLite files.");
        }

        Assert.DoesNotContain("PRIVATE KEY", stored, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_data.Path, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task Protect_StoredCredential_RoundTripsThroughTheKeyRing()
    {
        var key = SshKeygen.Generate(_scratch.Path, "ed25519", Passphrase);
        await using (var app = NewApp())
        {
            _ = app.Server;
            await app.Services.GetRequiredService<CredentialStore>()
                .CreateAsync(new CredentialInput { Name = "ed", Kind = CredentialKind.PrivateKey, PrivateKey = key, Passphrase = Passphrase }, default);
        }

        // A second start on the same data directory reads the key ring from disk.
        await using var restarted = NewApp();
        _ = restarted.Server;
        var protector = restarted.Services.GetRequiredService<ISecretProtector>();
        await using var db = await restarted.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        var credential = await db.Credentials.SingleAsync();

        Assert.Equal(key.Trim(), protector.Unprotect(credential.ProtectedSecret).Trim());
        Assert.Equal(Passphrase, protector.Unprotect(credential.ProtectedPassphrase!));
    }

    /// <summary>A line from the middle of the key's base64 body: unique to this key.</summary>
    private static string KeyBodyLine(string privateKey)
    {
        var lines = privateKey.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        return lines[lines.Count / 2];
    }

    // The embedded agent is off: these tests read and write the catalog only.
    private KubeHaAppFactory NewApp() =>
        new(_data.Path, KubeHaAppFactory.AdminPassword, new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" });
}
