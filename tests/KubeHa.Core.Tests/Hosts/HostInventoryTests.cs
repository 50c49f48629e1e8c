using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Tests.Hosts;

[Trait("Category", "Integration")]
public sealed class HostInventoryTests : IAsyncLifetime
{
    private readonly TempCatalog _catalog = new();
    private readonly InventoryEvents _events = new();
    private readonly List<int> _published = [];
    private HostInventory _inventory = null!;
    private int _credentialId;
    private readonly Dictionary<string, string> _addresses = [];

    public async Task InitializeAsync()
    {
        await _catalog.InitializeAsync();
        _inventory = new HostInventory(_catalog.Factory, _events, TimeProvider.System);
        _events.HostChanged += _published.Add;
        var store = new CredentialStore(_catalog.Factory, new FakeSecretProtector(), TimeProvider.System);
        _credentialId = (await store.CreateAsync(new CredentialInput { Name = "lab", Kind = CredentialKind.Password, Password = "pw" }, default)).Value;
    }

    public Task DisposeAsync() => _catalog.DisposeAsync();

    [Fact]
    public async Task AddAsync_ValidHost_SavesItAndPublishesChange()
    {
        var result = await _inventory.AddAsync(Input("cp-1"), default);

        Assert.True(result.Succeeded);
        var host = Assert.Single(await _inventory.ListAsync(default));
        Assert.Equal(("cp-1", "10.0.0.1", 22, "ops", "lab"), (host.Name, host.Address, host.Port, host.Username, host.CredentialName));
        Assert.Equal(HostCheckStatus.NeverChecked, host.CheckStatus);
        Assert.Equal([result.Value!.Id], _published);
    }

    [Fact]
    public async Task AddAsync_EveryFieldInvalid_ReturnsAMessagePerField()
    {
        var result = await _inventory.AddAsync(new HostInput { Name = "", Address = "10.0.0.300", Port = 0, Username = "9lives", CredentialId = null }, default);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [nameof(HostInput.Address), nameof(HostInput.CredentialId), nameof(HostInput.Name), nameof(HostInput.Port), nameof(HostInput.Username)],
            result.FieldErrors.Keys.Order().ToArray());
        Assert.Empty(await _inventory.ListAsync(default));
    }

    [Fact]
    public async Task AddAsync_UnknownCredential_ReportsOnCredentialField()
    {
        var input = Input("cp-1");
        input.CredentialId = 999;

        var result = await _inventory.AddAsync(input, default);

        Assert.Equal("This credential no longer exists; choose another.", result[nameof(HostInput.CredentialId)]);
    }

    [Fact]
    public async Task AddAsync_DuplicateNameIgnoringCase_ReportsNameTaken()
    {
        await _inventory.AddAsync(Input("cp-1"), default);

        var result = await _inventory.AddAsync(Input("CP-1"), default);

        Assert.Equal("A host named 'CP-1' already exists.", result[nameof(HostInput.Name)]);
    }

    [Fact]
    public async Task AddAsync_SameAddressAndPortAsAnotherHost_IsRefusedNamingIt()
    {
        await _inventory.AddAsync(Input("cp-1"), default);
        var input = Input("cp-2");
        input.Address = "10.0.0.1";

        var result = await _inventory.AddAsync(input, default);

        Assert.Equal("Host 'cp-1' already has the address 10.0.0.1:22: a machine is registered once.", result[nameof(HostInput.Address)]);
        input.Port = 2222;
        Assert.True((await _inventory.AddAsync(input, default)).Succeeded);
    }

    [Fact]
    public async Task UpdateAsync_MovedOntoAnotherHostsAddress_IsRefusedNamingIt()
    {
        await _inventory.AddAsync(Input("cp-1"), default);
        var id = (await _inventory.AddAsync(Input("cp-2"), default)).Value!.Id;
        var input = Input("cp-2");
        input.Address = "10.0.0.1";

        var result = await _inventory.UpdateAsync(id, input, default);

        Assert.Contains("Host 'cp-1' already has the address 10.0.0.1:22", result[nameof(HostInput.Address)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_ValidBatch_AddsAllAndPublishesEach()
    {
        var result = await _inventory.ImportAsync([Input("cp-1"), Input("cp-2")], dryRun: false, default);

        Assert.True(result.Succeeded);
        Assert.Equal(["cp-1", "cp-2"], (await _inventory.ListAsync(default)).Select(h => h.Name));
        Assert.Equal(result.Value, _published);
    }

    [Fact]
    public async Task ImportAsync_OneRowClashes_SavesNothingAndKeysErrorsByRow()
    {
        await _inventory.AddAsync(Input("cp-1"), default);
        var clash = Input("cp-9");
        clash.Address = "10.0.0.1";
        var twice = Input("cp-2");

        var result = await _inventory.ImportAsync([Input("cp-2"), clash, twice], dryRun: false, default);

        Assert.False(result.Succeeded);
        Assert.Equal("Host 'cp-1' already has the address 10.0.0.1:22: a machine is registered once.", result["hosts[1].Address"]);
        Assert.Equal("'cp-2' appears twice in the import.", result["hosts[2].Name"]);
        Assert.Equal(["cp-1"], (await _inventory.ListAsync(default)).Select(h => h.Name));
    }

    [Fact]
    public async Task ImportAsync_DryRun_ValidatesWithoutSaving()
    {
        Assert.True((await _inventory.ImportAsync([Input("cp-1")], dryRun: true, default)).Succeeded);
        Assert.Empty(await _inventory.ListAsync(default));
    }

    [Fact]
    public async Task UpdateAsync_AddressChangedWithPinnedKey_KeepsKeyAndFactsAndFlagsVerification()
    {
        var id = (await _inventory.AddAsync(Input("cp-1"), default)).Value!.Id;
        await SetHostAsync(id, h =>
        {
            h.HostKeyFingerprint = "SHA256:abc";
            h.HostKeyAlgorithm = "ssh-ed25519";
            h.Facts = Facts("cp-1");
        });
        var input = Input("cp-1");
        input.Address = "10.0.0.99";

        var result = await _inventory.UpdateAsync(id, input, default);

        Assert.True(result.Value!.PinnedKeyToVerify);
        var host = Assert.Single(await _inventory.ListAsync(default));
        Assert.Equal("SHA256:abc", host.HostKeyFingerprint);
        Assert.NotNull(host.Facts);
        Assert.Equal("10.0.0.99", host.Address);
    }

    [Fact]
    public async Task UpdateAsync_OnlyUserChanged_DoesNotFlagVerification()
    {
        var id = (await _inventory.AddAsync(Input("cp-1"), default)).Value!.Id;
        await SetHostAsync(id, h => h.HostKeyFingerprint = "SHA256:abc");
        var input = Input("cp-1");
        input.Username = "admin";

        var result = await _inventory.UpdateAsync(id, input, default);

        Assert.False(result.Value!.PinnedKeyToVerify);
    }

    [Fact]
    public async Task TrustNewHostKeyAsync_AfterMismatch_ClearsPinAndMismatchError()
    {
        var id = (await _inventory.AddAsync(Input("cp-1"), default)).Value!.Id;
        await SetHostAsync(id, h =>
        {
            h.HostKeyFingerprint = "SHA256:old";
            h.HostKeyAlgorithm = "ssh-ed25519";
            h.HostKeyPinnedAt = DateTimeOffset.UtcNow;
            h.CheckStatus = HostCheckStatus.Failed;
            h.CheckErrorKind = HostCheckErrorKind.HostKeyMismatch;
            h.CheckError = "Host key changed";
        });

        var result = await _inventory.TrustNewHostKeyAsync(id, default);

        Assert.True(result.Succeeded);
        var host = Assert.Single(await _inventory.ListAsync(default));
        Assert.Null(host.HostKeyFingerprint);
        Assert.Null(host.HostKeyPinnedAt);
        Assert.Null(host.CheckErrorKind);
        Assert.Equal(HostCheckStatus.NeverChecked, host.CheckStatus);
    }

    [Fact]
    public async Task DeleteAsync_HostInCluster_IsRefusedNamingTheCluster()
    {
        var id = (await _inventory.AddAsync(Input("cp-1"), default)).Value!.Id;
        await using (var db = await _catalog.Factory.CreateDbContextAsync())
        {
            db.Clusters.Add(new Cluster { Name = "prod", Spec = new ClusterSpec(), Nodes = [new ClusterNode { HostId = id, Role = NodeRole.ControlPlane }] });
            await db.SaveChangesAsync();
        }

        var result = await _inventory.DeleteAsync(id, default);

        Assert.Equal("Host 'cp-1' is a node of cluster 'prod'. Remove it from the cluster first.", result.Error);
        Assert.Equal("prod", Assert.Single(await _inventory.ListAsync(default)).ClusterName);
    }

    [Fact]
    public async Task DeleteAsync_FreeHost_RemovesIt()
    {
        var id = (await _inventory.AddAsync(Input("cp-1"), default)).Value!.Id;

        Assert.True((await _inventory.DeleteAsync(id, default)).Succeeded);
        Assert.Empty(await _inventory.ListAsync(default));
    }

    [Fact]
    public async Task ListAsync_TwoHostsSameHostname_WarnsOnBoth()
    {
        var a = (await _inventory.AddAsync(Input("a"), default)).Value!.Id;
        var b = (await _inventory.AddAsync(Input("b"), default)).Value!.Id;
        await SetHostAsync(a, h => h.Facts = Facts("node"));
        await SetHostAsync(b, h => h.Facts = Facts("node") with { ProductUuid = "other-uuid", Interfaces = [new("eth0", "52:54:00:00:00:02")] });

        var hosts = await _inventory.ListAsync(default);

        Assert.All(hosts, h => Assert.Equal(["duplicate-hostname"], h.Warnings.Select(w => w.Code)));
    }

    /// <summary>A valid input; each host name gets its own address (the first 10.0.0.1), the same name the same one.</summary>
    private HostInput Input(string name)
    {
        var address = _addresses.TryGetValue(name.ToUpperInvariant(), out var known) ? known : _addresses[name.ToUpperInvariant()] = $"10.0.0.{_addresses.Count + 1}";
        return new() { Name = name, Address = address, Port = 22, Username = "ops", CredentialId = _credentialId };
    }

    private static HostFacts Facts(string hostname) => new()
    {
        Hostname = hostname,
        OsName = "Debian GNU/Linux 12 (bookworm)",
        OsId = "debian",
        OsVersion = "12",
        Kernel = "6.1.0-18-amd64",
        Architecture = "x86_64",
        CpuCount = 2,
        MemoryMb = 4096,
        ProductUuid = "uuid-" + hostname,
        CgroupVersion = 2,
        Interfaces = [new("eth0", "52:54:00:00:00:01")],
    };

    private async Task SetHostAsync(int id, Action<ManagedHost> change)
    {
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        var host = await db.Hosts.SingleAsync(h => h.Id == id);
        change(host);
        await db.SaveChangesAsync();
    }
}
