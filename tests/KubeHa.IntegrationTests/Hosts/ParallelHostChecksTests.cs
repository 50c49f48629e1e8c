using System.Net;
using System.Net.Sockets;
using KubeHa.Agent;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using KubeHa.Testing.Ssh;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeHa.IntegrationTests.Hosts;

/// <summary>
/// Checks scheduled through the agent (Hangfire server, in-memory storage) run in parallel: every host sits behind
/// a barrier proxy that forwards to the real sshd only once all of them are connected at the same time. Run one
/// after another, the first check would wait at the barrier until its SSH timeout and fail.
/// </summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ParallelHostChecksTests(SshdFixture fixture) : IAsyncLifetime
{
    private const int HostCount = 20;
    private readonly string _dataDir = Directory.CreateTempSubdirectory("kubeha-parallel-").FullName;
    private IHost _agent = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KubeHa:DataDirectory"] = _dataDir,
            ["KubeHa:Ssh:ConnectTimeout"] = "00:00:45",
        });
        builder.Services.AddKubeHaAgent(runWorker: true);
        _agent = builder.Build();
        await _agent.Services.InitializeKubeHaDatabaseAsync();
        await _agent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.StopAsync();
        _agent.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task ScheduleAsync_TwentyHosts_AllConnectedAtOnceAndAllSucceed()
    {
        await using var barrier = BarrierProxy.Start(fixture.Sshd.Port, HostCount);
        var ids = await AddHostsAsync(barrier.Port);

        await _agent.Services.GetRequiredService<IHostCheckScheduler>().ScheduleAsync(ids, CancellationToken.None);
        var hosts = await WaitUntilFinishedAsync(ids, TimeSpan.FromMinutes(2));

        Assert.Equal(HostCount, barrier.MaxConcurrent);
        Assert.All(hosts, h => Assert.True(h.CheckStatus == HostCheckStatus.Succeeded, $"{h.Name}: {h.CheckErrorKind} {h.CheckError}"));
        Assert.All(hosts, h => Assert.Equal(fixture.Sshd.HostKeyFingerprint, h.HostKeyFingerprint));
    }

    private async Task<List<int>> AddHostsAsync(int port)
    {
        var secrets = _agent.Services.GetRequiredService<ISecretProtector>();
        await using var db = await DbAsync();
        var credential = new Credential
        {
            Name = "fleet-key",
            Kind = CredentialKind.PrivateKey,
            ProtectedSecret = secrets.Protect(fixture.Users.Ed25519.PrivateKeyText),
        };
        db.Credentials.Add(credential);
        var hosts = Enumerable.Range(1, HostCount).Select(i => new ManagedHost
        {
            Name = $"node-{i:00}",
            Address = "127.0.0.1",
            Port = port,
            Username = TestUsers.KeyUser,
            Credential = credential,
        }).ToList();
        db.Hosts.AddRange(hosts);
        await db.SaveChangesAsync();
        return hosts.Select(h => h.Id).ToList();
    }

    private async Task<List<ManagedHost>> WaitUntilFinishedAsync(List<int> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = await DbAsync();
            var hosts = await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).ToListAsync();
            if (hosts.All(h => h.CheckStatus is HostCheckStatus.Succeeded or HostCheckStatus.Failed) || DateTime.UtcNow > deadline)
            {
                return hosts;
            }

            await Task.Delay(200);
        }
    }

    private Task<KubeHaDbContext> DbAsync() =>
        _agent.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();

    /// <summary>TCP proxy on loopback that holds every connection until <c>parties</c> are open at once.</summary>
    private sealed class BarrierProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly int _backendPort;
        private readonly int _parties;
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _pipes = [];
        private int _open;
        private int _max;

        private BarrierProxy(int backendPort, int parties)
        {
            _backendPort = backendPort;
            _parties = parties;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int MaxConcurrent => Volatile.Read(ref _max);

        public static BarrierProxy Start(int backendPort, int parties) => new(backendPort, parties);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            _released.TrySetResult();
            await Task.WhenAll(_pipes.ToArray()).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                lock (_pipes)
                {
                    _pipes.Add(HandleAsync(client));
                }
            }
        }

        private async Task HandleAsync(TcpClient client)
        {
            using (client)
            {
                var open = Interlocked.Increment(ref _open);
                InterlockedMax(open);
                if (open >= _parties)
                {
                    _released.TrySetResult();
                }

                try
                {
                    await _released.Task.WaitAsync(_stop.Token);
                    using var backend = new TcpClient();
                    await backend.ConnectAsync(IPAddress.Loopback, _backendPort, _stop.Token);
                    var a = client.GetStream();
                    var b = backend.GetStream();
                    await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                }
                catch (IOException)
                {
                }
                finally
                {
                    Interlocked.Decrement(ref _open);
                }
            }
        }

        private void InterlockedMax(int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, current) != current)
            {
            }
        }
    }
}
