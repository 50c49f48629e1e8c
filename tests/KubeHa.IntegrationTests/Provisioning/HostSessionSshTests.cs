using System.Collections.Concurrent;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Steps;
using KubeHa.Core.Runs;
using KubeHa.Testing.Ssh;
using static KubeHa.IntegrationTests.Remote.SshTestTargets;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>HostSession over a real sshd: streaming, uploads on stdin, join secrets masked, typed failures, cancellation.</summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HostSessionSshTests(SshdFixture fixture)
{
    private sealed class Sink : IRunLogSink
    {
        public ConcurrentQueue<(LogStream Stream, string Text)> Lines { get; } = new();

        public void Write(string? stepKey, int? hostId, LogStream stream, string text) => Lines.Enqueue((stream, text));
    }

    private Task<(HostSession Session, Sink Sink, JoinMaterial Join)> OpenAsync() => OpenAsync(fixture.Sshd);

    private async Task<(HostSession Session, Sink Sink, JoinMaterial Join)> OpenAsync(SshdHost sshd)
    {
        var join = new JoinMaterial { BootstrapToken = "abcdef.0123456789abcdef", CertificateKey = new string('e', 64) };
        var member = new ClusterMember(1, "sshd", sshd.Address, new HashSet<NodeRole> { NodeRole.Worker });
        var store = new NullStore(join);
        var sink = new Sink();
        PlanContext? context = null;
        context = new PlanContext(1, 1, new ClusterSpec(), [member], new HashSet<int>(), join, store, (_, _) => throw new NotSupportedException(), TimeProvider.System, new ProvisioningOptions());
        var ssh = await Connector().ConnectAsync(Key(sshd, fixture.Users.Ed25519, pin: sshd.HostKeyFingerprint), default);
        return (new HostSession(member, context, new SshHostShell(ssh), sink), sink, join);
    }

    [Fact]
    public async Task RunAsync_StreamsLinesAndMasksJoinSecrets()
    {
        var (session, sink, join) = await OpenAsync();
        using (session)
        {
            await session.RunAsync($"echo one; echo two >&2; echo token={join.BootstrapToken!}; echo key={join.CertificateKey!}", default);
        }

        Assert.Contains((LogStream.Stdout, "one"), sink.Lines);
        Assert.Contains((LogStream.Stderr, "two"), sink.Lines);
        Assert.Contains((LogStream.Stdout, "token=***"), sink.Lines);
        Assert.Contains((LogStream.Stdout, "key=***"), sink.Lines);
        Assert.DoesNotContain(sink.Lines, l => l.Text.Contains(join.BootstrapToken!, StringComparison.Ordinal) || l.Text.Contains(join.CertificateKey!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_SecretContent_WrittenWithModeAndNeverLogged()
    {
        var (session, sink, join) = await OpenAsync();
        var path = $"/tmp/kubeha-upload-{Guid.NewGuid():N}/join.yaml";
        using (session)
        {
            await session.UploadAsync(path, $"token: {join.BootstrapToken}\n", "600", default);
            var read = await session.ReadFileAsync(path, default);
            // Data comes back as written (a kubeconfig masked by shape is corrupt); it is never logged (asserted below).
            Assert.Equal($"token: {join.BootstrapToken}\n", read);
            await session.RunAsync($"rm -rf {Path.GetDirectoryName(path)!}", default);
        }

        Assert.Contains(sink.Lines, l => l.Text == $"$ write {path} (31 bytes, mode 600)");
        Assert.DoesNotContain(sink.Lines, l => l.Text.Contains(join.BootstrapToken!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_FailingCommand_ThrowsWithHostCommandExitAndTail()
    {
        var (session, _, _) = await OpenAsync();
        using (session)
        {
            var ex = await Assert.ThrowsAsync<StepFailedException>(() => session.RunAsync($"echo preparing; echo 'boom' >&2; exit 3", default));
            Assert.Equal(3, ex.ExitCode);
            Assert.Equal("sshd", ex.HostName);
            Assert.Contains("`echo preparing; echo 'boom' >&2; exit 3` failed on sshd with exit code 3", ex.Message, StringComparison.Ordinal);
            Assert.Contains("boom", ex.OutputTail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsLongCommand()
    {
        var (session, sink, _) = await OpenAsync();
        using var cts = new CancellationTokenSource();
        using (session)
        {
            var run = session.RunAsync($"echo started; sleep 300", cts.Token);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!sink.Lines.Any(l => l.Text == "started"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the command never started");
                await Task.Delay(20);
            }

            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }

    [Fact]
    public async Task GatherFactsStep_HostnameCannotBeANodeName_FailsBeforeTheNameReachesAnyScript()
    {
        // A member whose root changed its hostname after it was checked: facts are gathered again at every attempt.
        await using var hostile = await fixture.StartExtraAsync("w1$(touch /tmp/pwned)");
        var (session, sink, _) = await OpenAsync(hostile);
        using (session)
        {
            var error = await Assert.ThrowsAsync<StepFailedException>(() => new GatherFactsStep().RunAsync(session, default));

            Assert.Contains("sshd: The host reports the hostname 'w1$(touch /tmp/pwned)'", error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(sink.Lines, l => l.Text.Contains("pwned", StringComparison.Ordinal));
    }

    private sealed class NullStore(JoinMaterial join) : IClusterSecretsStore
    {
        public Task<JoinMaterial> LoadAsync(int clusterId, CancellationToken cancellationToken) => Task.FromResult(join);

        public Task SaveAsync(int clusterId, JoinMaterial material, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveKubeconfigAsync(int clusterId, string kubeconfig, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ClearAsync(int clusterId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
