using Xunit;

namespace KubeHa.Testing.Ssh;

/// <summary>
/// xUnit fixture: the test accounts and one shared <see cref="SshdHost"/>. Declare a collection in the test assembly:
/// <c>[CollectionDefinition("sshd")] public sealed class SshdCollection : ICollectionFixture&lt;SshdFixture&gt;;</c>
/// Tests that change the host key start their own <see cref="SshdHost"/> with <see cref="StartExtraAsync"/>.
/// </summary>
public sealed class SshdFixture : IAsyncLifetime
{
    private SshdHost? _sshd;
    private TestUsers? _users;

    public SshdHost Sshd => _sshd ?? throw new InvalidOperationException("Fixture not initialised.");

    public TestUsers Users => _users ?? throw new InvalidOperationException("Fixture not initialised.");

    /// <summary>Another sshd with its own host key; the caller disposes it.</summary>
    public Task<SshdHost> StartExtraAsync(CancellationToken cancellationToken = default) =>
        SshdHost.StartAsync(Users, cancellationToken);

    /// <summary>Another sshd whose host reports <paramref name="hostname"/> (its own UTS namespace); the caller disposes it.</summary>
    public Task<SshdHost> StartExtraAsync(string hostname, CancellationToken cancellationToken = default) =>
        SshdHost.StartAsync(Users, hostname, cancellationToken);

    /// <summary>Another sshd whose logins all run <paramref name="forceCommand"/> (sshd's ForceCommand); the caller disposes it.</summary>
    public Task<SshdHost> StartExtraWithForceCommandAsync(string forceCommand, CancellationToken cancellationToken = default) =>
        SshdHost.StartAsync(Users, hostname: null, forceCommand, cancellationToken);

    public async Task InitializeAsync()
    {
        _users = await TestUsers.EnsureAsync();
        _sshd = await SshdHost.StartAsync(_users);
    }

    public async Task DisposeAsync()
    {
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }
    }
}
