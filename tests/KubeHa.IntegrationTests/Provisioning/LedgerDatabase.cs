using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>A real SQLite file with the checked-in migrations, a cluster of hosts, and an executor wired to it.</summary>
internal sealed class LedgerDatabase : IAsyncDisposable
{
    private readonly string _dir;

    private LedgerDatabase(string dir, IDbContextFactory<KubeHaDbContext> factory)
    {
        _dir = dir;
        DatabasePath = Path.Combine(dir, "kubeha.db");
        Factory = factory;
        Ledger = new RunLedger(factory, Events, Time);
        Secrets = new ClusterSecretsStore(factory, Protector);
    }

    public IDbContextFactory<KubeHaDbContext> Factory { get; }

    /// <summary>The engine's clock: the system clock plus an offset a test can advance (with the lab's clock).</summary>
    public ShiftedTime Time { get; } = new();

    /// <summary>The SQLite file itself, for asserting what is (not) stored in it.</summary>
    public string DatabasePath { get; }

    public RunEvents Events { get; } = new();

    public RunLedger Ledger { get; }

    public ReversibleProtector Protector { get; } = new();

    public ClusterSecretsStore Secrets { get; }

    public static async Task<LedgerDatabase> CreateAsync()
    {
        var dir = Directory.CreateTempSubdirectory("kubeha-ledger-").FullName;
        var options = new DbContextOptionsBuilder<KubeHaDbContext>().UseSqlite($"Data Source={Path.Combine(dir, "kubeha.db")};Default Timeout=30").Options;
        var factory = new ContextFactory(options);
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        return new LedgerDatabase(dir, factory);
    }

    public RunExecutor Executor(IHostShellFactory shells, ProvisioningOptions? options = null, IPlanCatalog? plans = null, RunCancellations? cancellations = null) => new(
        Ledger,
        plans ?? new PlanCatalog(new ReadyApi()),
        shells,
        Secrets,
        cancellations ?? new RunCancellations(),
        Options.Create(options ?? new ProvisioningOptions { RetryDelay = TimeSpan.Zero, VerifyTimeout = TimeSpan.FromSeconds(5) }),
        Time,
        NullLogger<RunExecutor>.Instance);

    /// <summary>Adds hosts (address 127.0.0.1, the given port) and a cluster with those roles; returns the cluster id.</summary>
    public async Task<int> AddClusterAsync(ClusterSpec spec, IEnumerable<(string Name, NodeRole Role)> roles, int port = 22, SshCredential? credential = null, string user = "root", string? pin = "SHA256:test")
    {
        await using var db = await Factory.CreateDbContextAsync();
        var cred = new Credential { Name = $"c{Guid.NewGuid():N}", Kind = credential?.Kind ?? CredentialKind.Password, ProtectedSecret = Protector.Protect("unused") };
        db.Credentials.Add(cred);
        var cluster = new Cluster { Name = $"k{Guid.NewGuid():N}", Spec = spec };
        db.Clusters.Add(cluster);
        var hosts = new Dictionary<string, ManagedHost>();
        foreach (var (name, role) in roles)
        {
            if (!hosts.TryGetValue(name, out var host))
            {
                host = new ManagedHost { Name = $"{name}-{Guid.NewGuid():N}"[..20], Address = $"10.9.0.{hosts.Count + 1}", Port = port, Username = user, Credential = cred, HostKeyFingerprint = pin };
                hosts[name] = host;
                db.Hosts.Add(host);
            }

            cluster.Nodes.Add(new ClusterNode { Host = host, Role = role });
        }

        await db.SaveChangesAsync();
        return cluster.Id;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.CompletedTask;
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ContextFactory(DbContextOptions<KubeHaDbContext> options) : IDbContextFactory<KubeHaDbContext>
    {
        public KubeHaDbContext CreateDbContext() => new(options);
    }

    /// <summary>System time plus an offset; timers are the system's.</summary>
    internal sealed class ShiftedTime : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }

    /// <summary>Test protector: reversible, and visibly not clear text.</summary>
    internal sealed class ReversibleProtector : ISecretProtector
    {
        public string Protect(string plaintext) => "enc:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(new string(plaintext.Reverse().ToArray())));

        public string Unprotect(string protectedText) => new(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(protectedText[4..])).Reverse().ToArray());
    }

    private sealed class ReadyApi : KubeHa.Core.Kubernetes.IClusterApi
    {
        public Task<IReadOnlyList<KubeHa.Core.Kubernetes.NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KubeHa.Core.Kubernetes.NodeReadiness>>([]);
    }
}
