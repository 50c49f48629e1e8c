using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Hosts;
using KubeHa.Core.Remote;
using KubeHa.Testing;
using KubeHa.Testing.Network;
using KubeHa.Testing.Ssh;
using static KubeHa.IntegrationTests.Remote.SshTestTargets;
using KubeHa.Core.Security;

namespace KubeHa.IntegrationTests.Remote;

[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SshConnectorTests(SshdFixture fixture)
{
    private SshdHost Sshd => fixture.Sshd;

    private TestUsers Users => fixture.Users;

    [Fact]
    public async Task ConnectAsync_NothingPinned_ReportsHostKeyAsSshKeygenPrintsIt()
    {
        using var session = await Connector().ConnectAsync(Key(Sshd, Users.Ed25519), CancellationToken.None);

        Assert.True(session.IsFirstContact);
        Assert.Equal("ssh-ed25519", session.HostKey.Algorithm);
        Assert.Equal(Sshd.HostKeyFingerprint, session.HostKey.Fingerprint);
        Assert.Equal(await TestUsers.FingerprintAsync(Sshd.HostPublicKeyPath), session.HostKey.Fingerprint);
        Assert.Equal(SshFingerprint.Sha256OfPublicKeyLine(await File.ReadAllTextAsync(Sshd.HostPublicKeyPath)), session.HostKey.Fingerprint);
    }

    [Fact]
    public async Task ConnectAsync_PasswordAndNothingPinned_StopsBeforeAuthenticatingWithTheKeyToApprove()
    {
        // The right password: had it been sent, the connection would have succeeded.
        var target = new SshTarget(Sshd.Address, Sshd.Port, TestUsers.PasswordUser, SshCredential.FromPassword(Users.Password), null);

        var ex = await Assert.ThrowsAsync<HostKeyApprovalRequiredException>(() => Connector().ConnectAsync(target, CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.HostKeyNotApproved, ex.Kind);
        Assert.Equal(Sshd.HostKeyFingerprint, ex.Presented.Fingerprint);
        Assert.Contains(Sshd.HostKeyFingerprint, ex.Message, StringComparison.Ordinal);
        AssertNoSecret(Users, ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_PinnedKeyMatches_Connects()
    {
        using var session = await Connector().ConnectAsync(Key(Sshd, Users.Ed25519, pin: Sshd.HostKeyFingerprint), CancellationToken.None);

        Assert.False(session.IsFirstContact);
        var result = await session.RunAsync($"id -un", null, CancellationToken.None);
        Assert.Equal(TestUsers.KeyUser, result.Output.Trim());
    }

    [Fact]
    public async Task ConnectAsync_HostKeyChanged_RefusedWithBothFingerprints()
    {
        await using var sshd = await fixture.StartExtraAsync();
        string pinned;
        using (var first = await Connector().ConnectAsync(Key(sshd, Users.Ed25519), CancellationToken.None))
        {
            pinned = first.HostKey.Fingerprint;
        }

        await sshd.RestartWithNewHostKeyAsync();

        var ex = await Assert.ThrowsAsync<HostKeyMismatchException>(() => Connector().ConnectAsync(Key(sshd, Users.Ed25519, pin: pinned), CancellationToken.None));
        Assert.Equal(HostCheckErrorKind.HostKeyMismatch, ex.Kind);
        Assert.Equal(pinned, ex.PinnedFingerprint);
        Assert.Equal(sshd.HostKeyFingerprint, ex.Presented.Fingerprint);
        Assert.Contains(pinned, ex.Message, StringComparison.Ordinal);
        Assert.Contains(sshd.HostKeyFingerprint, ex.Message, StringComparison.Ordinal);
        Assert.Contains("re-trust", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{sshd.Port}", ex.Message, StringComparison.Ordinal);

        // Cleared pin (operator re-trusted): the new key is accepted and reported for pinning.
        using var retrusted = await Connector().ConnectAsync(Key(sshd, Users.Ed25519), CancellationToken.None);
        Assert.Equal(sshd.HostKeyFingerprint, retrusted.HostKey.Fingerprint);
    }

    [Fact]
    public async Task ConnectAsync_PortClosed_ConnectionRefused()
    {
        var port = ClosedPort();

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(
            new SshTarget("127.0.0.1", port, TestUsers.KeyUser, SshCredential.FromPrivateKey(Users.Ed25519.PrivateKeyText), null), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.ConnectionRefused, ex.Kind);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NameDoesNotResolve_UnreachableCannotResolve()
    {
        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(
            new SshTarget("no-such-host.invalid", 22, TestUsers.KeyUser, SshCredential.FromPrivateKey(Users.Ed25519.PrivateKeyText), null), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.Unreachable, ex.Kind);
        Assert.Contains("Cannot resolve no-such-host.invalid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_AddressNobodyAnswers_Unreachable()
    {
        await using var network = await IsolatedNetwork.CreateAsync();

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector(TimeSpan.FromSeconds(30)).ConnectAsync(
            new SshTarget(network.SilentAddress.ToString(), 22, TestUsers.KeyUser, SshCredential.FromPrivateKey(Users.Ed25519.PrivateKeyText), null), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.Unreachable, ex.Kind);
        Assert.Contains($"{network.SilentAddress}:22 is unreachable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ListenerNeverSpeaks_Timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync();

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector(TimeSpan.FromSeconds(2)).ConnectAsync(
            new SshTarget("127.0.0.1", port, TestUsers.KeyUser, SshCredential.FromPrivateKey(Users.Ed25519.PrivateKeyText), null), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.Timeout, ex.Kind);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task ConnectAsync_UnknownUser_AuthenticationFailed()
    {
        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(
            Password(Sshd, Users.Password, user: "khtest-nobody"), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.AuthenticationFailed, ex.Kind);
        Assert.Contains("khtest-nobody", ex.Message, StringComparison.Ordinal);
        Assert.Contains("wrong user, password or key", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(Users, ex.ToString());
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_AuthenticationFailed()
    {
        var wrong = Users.Password + "-wrong";

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(Password(Sshd, wrong), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.AuthenticationFailed, ex.Kind);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        AssertNoSecret(Users, ex.ToString());
    }

    [Fact]
    public async Task ConnectAsync_KeyNotAuthorized_AuthenticationFailed()
    {
        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(Key(Sshd, Users.Stranger), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.AuthenticationFailed, ex.Kind);
        AssertNoSecret(Users, ex.ToString());
    }

    [Fact]
    public async Task ConnectAsync_WrongPassphrase_WrongPassphrase()
    {
        var wrong = Users.EncryptedEd25519.Passphrase + "-wrong";

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(
            Key(Sshd, Users.EncryptedEd25519, passphrase: wrong), CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.WrongPassphrase, ex.Kind);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        AssertNoSecret(Users, ex.ToString());
    }

    [Fact]
    public async Task ConnectAsync_EncryptedKeyWithoutPassphrase_WrongPassphrase()
    {
        var target = new SshTarget(Sshd.Address, Sshd.Port, TestUsers.KeyUser, SshCredential.FromPrivateKey(Users.EncryptedEd25519.PrivateKeyText), null);

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(target, CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.WrongPassphrase, ex.Kind);
    }

    [Fact]
    public async Task ConnectAsync_GarbageKey_InvalidCredential()
    {
        var target = new SshTarget(Sshd.Address, Sshd.Port, TestUsers.KeyUser, SshCredential.FromPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----"), null);

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => Connector().ConnectAsync(target, CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.InvalidCredential, ex.Kind);
    }

    [Theory]
    [InlineData("ed25519-encrypted")]
    [InlineData("rsa-pem")]
    public async Task ConnectAsync_OtherKeyFormats_Authenticate(string name)
    {
        var key = name == "rsa-pem" ? Users.RsaPem : Users.EncryptedEd25519;

        using var session = await Connector().ConnectAsync(Key(Sshd, key), CancellationToken.None);

        Assert.Equal(0, (await session.RunAsync($"true", null, CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task EnsureSudoAsync_KeyUserWithNopasswd_Passwordless()
    {
        using var session = await Connector().ConnectAsync(Key(Sshd, Users.Ed25519), CancellationToken.None);

        Assert.Equal(SudoMode.Passwordless, await session.EnsureSudoAsync(CancellationToken.None));
        var root = await session.RunAsRootAsync($"id -u", null, CancellationToken.None);
        Assert.Equal("0", root.Output.Trim());
    }

    [Fact]
    public async Task EnsureSudoAsync_KeyUserWhoseSudoAsksPassword_SudoRequiresPassword()
    {
        using var session = await Connector().ConnectAsync(Key(Sshd, Users.Ed25519, user: TestUsers.SudoNeedsPasswordUser), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<HostCheckException>(() => session.EnsureSudoAsync(CancellationToken.None));

        Assert.Equal(HostCheckErrorKind.SudoRequiresPassword, ex.Kind);
        Assert.Contains(TestUsers.SudoNeedsPasswordUser, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureSudoAsync_PasswordUser_UsesStoredPasswordOnStdin()
    {
        using var session = await Connector().ConnectAsync(Password(Sshd, Users.Password), CancellationToken.None);

        Assert.Equal(SudoMode.WithPassword, await session.EnsureSudoAsync(CancellationToken.None));

        // The password is never on a command line: ps inside the sudo'd command shows none, and output is masked.
        var root = await session.RunAsRootAsync($"id -u; ps -eo args", null, CancellationToken.None);
        Assert.Equal("0", root.Output.Split('\n')[0].Trim());
        Assert.DoesNotContain(Users.Password, root.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OutputArrivesLineByLineWithSecretsMasked()
    {
        using var session = await Connector().ConnectAsync(Password(Sshd, Users.Password), CancellationToken.None);
        var lines = new List<RemoteOutputLine>();

        var result = await session.RunAsync(
            $"echo one; echo two >&2; echo {Users.Password}; exit 3",
            line => { lock (lines) { lines.Add(line); } },
            CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(new RemoteOutputLine(RemoteStream.Stdout, "one"), lines);
        Assert.Contains(new RemoteOutputLine(RemoteStream.Stderr, "two"), lines);
        Assert.Contains(new RemoteOutputLine(RemoteStream.Stdout, KnownSecretMasker.Mask), lines);
        Assert.Equal("two", result.ErrorTail);
        Assert.DoesNotContain(Users.Password, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsAndSessionStaysUsable()
    {
        using var session = await Connector().ConnectAsync(Key(Sshd, Users.Ed25519), CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        var running = session.RunAsync($"echo started; sleep 600", line => started.TrySetResult(), cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal("ok", (await session.RunAsync($"echo ok", null, CancellationToken.None)).Output.Trim());
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
