using k8s;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// A fresh lab of N hosts, a real SQLite catalog with those hosts registered (key credential, host keys pinned from the
/// lab's host key files, the ssh-keyscan equivalent) and the real engine wired to them: SSH.NET, KubernetesClient.
/// </summary>
internal sealed class LabProvisioning : IAsyncDisposable
{
    private readonly Dictionary<string, int> _hostIds = new(StringComparer.Ordinal);

    private LabProvisioning(LedgerDatabase db, LabInventory inventory)
    {
        Db = db;
        Inventory = inventory;
    }

    public static LabController Lab { get; } = new();

    public LedgerDatabase Db { get; }

    public LabInventory Inventory { get; }

    public static ProvisioningOptions Options { get; } = new() { RetryDelay = TimeSpan.FromSeconds(1), VerifyTimeout = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("KUBEHA_LAB_KEEP") == "1" ? 20 : 60) };

    public static async Task<LabProvisioning> UpAsync(int hosts, CancellationToken ct)
    {
        await Lab.DownAsync(ct);
        var inventory = await Lab.UpAsync(hosts, ct);
        await Lab.RunAsync(ct, "profile", "fast");
        var db = await LedgerDatabase.CreateAsync();
        var lab = new LabProvisioning(db, inventory);
        await lab.RegisterHostsAsync(ct);
        return lab;
    }

    public int HostId(string name) => _hostIds[name];

    public string Ip(string name) => Inventory.Hosts.Single(h => h.Name == name).Ip;

    public async Task<int> AddClusterAsync(ClusterSpec spec, IEnumerable<(string Host, NodeRole Role)> roles, CancellationToken ct)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        var cluster = new Cluster { Name = $"lab-{Guid.NewGuid():N}"[..12], Spec = spec };
        foreach (var (host, role) in roles)
        {
            cluster.Nodes.Add(new ClusterNode { HostId = _hostIds[host], Role = role });
        }

        db.Clusters.Add(cluster);
        await db.SaveChangesAsync(ct);
        return cluster.Id;
    }

    /// <summary>Removes a cluster that never ran (its hosts become free for another cluster).</summary>
    public async Task DeleteClusterAsync(int clusterId, CancellationToken ct)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        await db.Set<ClusterNode>().Where(n => n.ClusterId == clusterId).ExecuteDeleteAsync(ct);
    }

    public async Task AddNodesAsync(int clusterId, IEnumerable<(string Host, NodeRole Role)> roles, CancellationToken ct)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        foreach (var (host, role) in roles)
        {
            db.Set<ClusterNode>().Add(new ClusterNode { ClusterId = clusterId, HostId = _hostIds[host], Role = role });
        }

        await db.SaveChangesAsync(ct);
    }

    public RunExecutor Executor() => Db.Executor(Shells(), Options, new PlanCatalog(new KubernetesClusterApi()));

    public IHostShellFactory Shells() =>
        new SshHostShellFactory(Db.Factory, Db.Protector, new SshConnector(Microsoft.Extensions.Options.Options.Create(new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }), NullLogger<SshConnector>.Instance));

    /// <summary>Creates a run of the plan and executes it on this process; returns the run as the ledger has it.</summary>
    public async Task<Run> RunPlanAsync(int clusterId, string plan, IReadOnlyCollection<int>? targets, CancellationToken ct)
    {
        var run = await Db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(plan), targets, "lab-test", ct);
        await Executor().ExecuteAsync(run.Id, "lab-agent", attempt: 1, ct);
        return await LoadRunAsync(run.Id, ct);
    }

    public async Task<Run> ResumeAsync(long runId, CancellationToken ct)
    {
        // As the scheduler's resume does: the job is for the attempt after the last recorded one.
        var last = await LoadRunAsync(runId, ct);
        await Executor().ExecuteAsync(runId, "lab-agent", last.Attempt + 1, ct);
        return await LoadRunAsync(runId, ct);
    }

    public async Task<Run> LoadRunAsync(long runId, CancellationToken ct)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        return await db.Runs.Include(r => r.Steps).ThenInclude(s => s.Hosts).AsNoTracking().SingleAsync(r => r.Id == runId, ct);
    }

    public async Task<List<LogLine>> LogAsync(long runId, CancellationToken ct)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        return await db.LogLines.Where(l => l.RunId == runId).OrderBy(l => l.Seq).AsNoTracking().ToListAsync(ct);
    }

    public async Task<Cluster> ClusterAsync(int clusterId, CancellationToken ct)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        return await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == clusterId, ct);
    }

    /// <summary>A failure message with the run's error and the tail of its log, for asserts.</summary>
    public async Task<string> DescribeAsync(Run run, CancellationToken ct)
    {
        var log = await LogAsync(run.Id, ct);
        return $"run {run.Status}: {run.Error}\n" + string.Join('\n', log.TakeLast(40).Select(l => $"[{l.StepKey}] {l.Text}"));
    }

    /// <summary>Every node's Ready condition, read independently of the engine with KubernetesClient at the given endpoint.</summary>
    public static async Task<Dictionary<string, bool>> NodesReadyAsync(string kubeconfig, string server, CancellationToken ct)
    {
        await using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(kubeconfig));
        var config = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream, masterUrl: server);
        using var client = new Kubernetes(config);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: ct);
        return nodes.Items.ToDictionary(n => n.Metadata.Name, n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
    }

    /// <summary>The API backend's servers and their status, read from the HAProxy stats socket through `lab exec`.</summary>
    public static async Task<Dictionary<string, string>> HaproxyBackendsAsync(string host, CancellationToken ct)
    {
        var stat = await Lab.ExecAsync(host, $"echo 'show stat' | socat stdio {HaproxyConfigRenderer.StatsSocket}", ct);
        Assert.True(stat.ExitCode == 0, $"{host}: show stat failed: {stat.Stderr}");
        return HaproxyStatCsv.Parse(stat.Stdout).Where(s => s.Backend == HaproxyConfigRenderer.ApiBackend).ToDictionary(s => s.Server, s => s.Status);
    }

    /// <summary>Polls a condition until it holds or the deadline passes; returns the last observation for the assert.</summary>
    public static async Task<T> PollAsync<T>(Func<CancellationToken, Task<T>> observe, Func<T, bool> done, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (true)
        {
            T value;
            try
            {
                value = await observe(ct);
                if (done(value) || DateTimeOffset.UtcNow > deadline)
                {
                    return value;
                }
            }
            catch (Exception) when (DateTimeOffset.UtcNow <= deadline)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        if (Environment.GetEnvironmentVariable("KUBEHA_LAB_KEEP") == "1")
        {
            return; // debugging: leave the hosts up for `tests/Lab/lab exec`
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await Lab.DownAsync(cts.Token);
    }

    private async Task RegisterHostsAsync(CancellationToken ct)
    {
        var first = Inventory.Hosts[0];
        var key = await File.ReadAllTextAsync(first.PrivateKeyPath, ct);
        await using var db = await Db.Factory.CreateDbContextAsync(ct);
        var credential = new Credential { Name = "lab-key", Kind = CredentialKind.PrivateKey, ProtectedSecret = Db.Protector.Protect(key) };
        db.Credentials.Add(credential);
        var hosts = new List<ManagedHost>();
        foreach (var h in Inventory.Hosts)
        {
            var pub = await File.ReadAllTextAsync(h.HostKeyPath, ct);
            var host = new ManagedHost
            {
                Name = h.Name, Address = h.Ip, Port = h.SshPort, Username = h.User, Credential = credential,
                HostKeyAlgorithm = "ssh-ed25519", HostKeyFingerprint = SshFingerprint.Sha256OfPublicKeyLine(pub),
                HostKeyPinnedAt = DateTimeOffset.UtcNow, CheckStatus = HostCheckStatus.Succeeded,
            };
            hosts.Add(host);
            db.Hosts.Add(host);
        }

        await db.SaveChangesAsync(ct);
        foreach (var host in hosts)
        {
            _hostIds[host.Name] = host.Id;
        }
    }
}
