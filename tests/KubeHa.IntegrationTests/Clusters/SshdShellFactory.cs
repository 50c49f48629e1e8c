using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning;
using KubeHa.Testing.Ssh;
using static KubeHa.IntegrationTests.Remote.SshTestTargets;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>Every host is the fixture's real sshd (key login, pinned host key); counts the connections opened.</summary>
internal sealed class SshdShellFactory(SshdFixture fixture) : IHostShellFactory
{
    private int _opened;

    public int Opened => _opened;

    public async Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        var ssh = await Connector().ConnectAsync(Key(fixture.Sshd, fixture.Users.Ed25519, pin: fixture.Sshd.HostKeyFingerprint), cancellationToken);
        return new SshHostShell(ssh);
    }
}
