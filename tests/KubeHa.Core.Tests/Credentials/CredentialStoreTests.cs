using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Tests.Credentials;

[Trait("Category", "Integration")]
public sealed class CredentialStoreTests(TestKeys keys) : IClassFixture<TestKeys>, IAsyncLifetime
{
    private readonly TempCatalog _catalog = new();
    private readonly FakeSecretProtector _protector = new();
    private CredentialStore _store = null!;

    public async Task InitializeAsync()
    {
        await _catalog.InitializeAsync();
        _store = new CredentialStore(_catalog.Factory, _protector, TimeProvider.System);
    }

    public Task DisposeAsync() => _catalog.DisposeAsync();

    [Fact]
    public async Task CreateAsync_EncryptedKey_StoresProtectedSecretsAndFingerprint()
    {
        var result = await _store.CreateAsync(Key("ops", keys.Ed25519Encrypted, TestKeys.Passphrase), default);

        Assert.True(result.Succeeded);
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        var stored = await db.Credentials.SingleAsync();
        Assert.DoesNotContain("PRIVATE KEY", stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(keys.Ed25519Encrypted.PrivateKey.Trim(), _protector.Unprotect(stored.ProtectedSecret).Trim());
        Assert.Equal(TestKeys.Passphrase, _protector.Unprotect(stored.ProtectedPassphrase!));
        Assert.Equal(keys.Ed25519Encrypted.Fingerprint, stored.PublicKeyFingerprint);
    }

    [Fact]
    public async Task CreateAsync_PassphraseForUnencryptedKey_DoesNotStoreIt()
    {
        await _store.CreateAsync(Key("ops", keys.Ed25519, "ignored"), default);

        var summary = Assert.Single(await _store.ListAsync(default));
        Assert.False(summary.HasPassphrase);
        Assert.Equal(keys.Ed25519.Fingerprint, summary.PublicKeyFingerprint);
    }

    [Fact]
    public async Task CreateAsync_WrongPassphrase_ReportsOnPassphraseField()
    {
        var result = await _store.CreateAsync(Key("ops", keys.Ed25519Encrypted, "wrong"), default);

        Assert.Equal(PrivateKeyInspector.WrongPassphrase, result[nameof(CredentialInput.Passphrase)]);
        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task CreateAsync_MissingPassphrase_ReportsOnPassphraseField()
    {
        var result = await _store.CreateAsync(Key("ops", keys.Ed25519Encrypted, null), default);

        Assert.Equal(PrivateKeyInspector.PassphraseNeeded, result[nameof(CredentialInput.Passphrase)]);
    }

    [Fact]
    public async Task CreateAsync_UnparsableKeyAndBlankName_ReportsBothFields()
    {
        var result = await _store.CreateAsync(new CredentialInput { Name = " ", Kind = CredentialKind.PrivateKey, PrivateKey = "nope" }, default);

        Assert.Equal(PrivateKeyInspector.Unreadable, result[nameof(CredentialInput.PrivateKey)]);
        Assert.Equal("Give the credential a name.", result[nameof(CredentialInput.Name)]);
    }

    [Fact]
    public async Task CreateAsync_DuplicateNameIgnoringCase_ReportsNameTaken()
    {
        await _store.CreateAsync(Password("Lab", "pw-1"), default);

        var result = await _store.CreateAsync(Password("lab", "pw-2"), default);

        Assert.Equal("A credential named 'lab' already exists.", result[nameof(CredentialInput.Name)]);
    }

    [Fact]
    public async Task CreateAsync_EmptyPassword_ReportsOnPasswordField()
    {
        var result = await _store.CreateAsync(Password("lab", ""), default);

        Assert.Equal("Enter the password.", result[nameof(CredentialInput.Password)]);
    }

    [Fact]
    public async Task UpdateAsync_BlankSecret_KeepsStoredSecretAndRenames()
    {
        var id = (await _store.CreateAsync(Password("lab", "s3cret-pw"), default)).Value;

        var result = await _store.UpdateAsync(id, Password("lab-renamed", ""), default);

        Assert.True(result.Succeeded);
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        var stored = await db.Credentials.SingleAsync();
        Assert.Equal("lab-renamed", stored.Name);
        Assert.Equal("s3cret-pw", _protector.Unprotect(stored.ProtectedSecret));
    }

    [Fact]
    public async Task UpdateAsync_KindChangedWithoutSecret_AsksForTheKey()
    {
        var id = (await _store.CreateAsync(Password("lab", "s3cret-pw"), default)).Value;

        var result = await _store.UpdateAsync(id, new CredentialInput { Name = "lab", Kind = CredentialKind.PrivateKey }, default);

        Assert.Equal(PrivateKeyInspector.MissingKey, result[nameof(CredentialInput.PrivateKey)]);
    }

    [Fact]
    public async Task DeleteAsync_UsedByHosts_IsRefusedNamingThem()
    {
        var id = (await _store.CreateAsync(Password("lab", "pw"), default)).Value;
        var inventory = new HostInventory(_catalog.Factory, new InventoryEvents(), TimeProvider.System);
        await inventory.AddAsync(new HostInput { Name = "node-b", Address = "10.0.0.2", Username = "ops", CredentialId = id }, default);
        await inventory.AddAsync(new HostInput { Name = "node-a", Address = "10.0.0.1", Username = "ops", CredentialId = id }, default);

        var result = await _store.DeleteAsync(id, default);

        Assert.False(result.Succeeded);
        Assert.Contains("hosts 'node-a', 'node-b'", result.Error, StringComparison.Ordinal);
        Assert.Single(await _store.ListAsync(default));
    }

    [Fact]
    public async Task DeleteAsync_Unused_RemovesIt()
    {
        var id = (await _store.CreateAsync(Password("lab", "pw"), default)).Value;

        Assert.True((await _store.DeleteAsync(id, default)).Succeeded);
        Assert.Empty(await _store.ListAsync(default));
    }

    private static CredentialInput Key(string name, GeneratedKey key, string? passphrase)
        => new() { Name = name, Kind = CredentialKind.PrivateKey, PrivateKey = key.PrivateKey, Passphrase = passphrase };

    private static CredentialInput Password(string name, string password)
        => new() { Name = name, Kind = CredentialKind.Password, Password = password };
}
