using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.Core.Security;
using KubeHa.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Bench;

/// <summary>Lab hosts registered in the app (key credential, host keys pinned from the lab's key files) and runs on them.</summary>
public sealed class LabCluster
{
    private readonly BenchApp _app;
    private readonly Dictionary<string, int> _hostIds = new(StringComparer.Ordinal);

    private LabCluster(BenchApp app, LabInventory inventory)
    {
        _app = app;
        Inventory = inventory;
    }

    public static LabController Lab { get; } = new();

    public LabInventory Inventory { get; }

    public IReadOnlyDictionary<string, int> HostIds => _hostIds;

    /// <summary>Fresh lab of <paramref name="hosts"/> hosts (fast profile: no simulated delays), registered in the app.</summary>
    public static async Task<(LabCluster Lab, TimeSpan LabUp)> UpAsync(BenchApp app, int hosts, CancellationToken ct)
    {
        var inventory = await FreshLabAsync(hosts, ct);
        var lab = new LabCluster(app, inventory.Inventory);
        await lab.RegisterAsync(ct);
        return (lab, inventory.Elapsed);
    }

    public static async Task<(LabInventory Inventory, TimeSpan Elapsed)> FreshLabAsync(int hosts, CancellationToken ct)
    {
        await Lab.DownAsync(ct);
        await Lab.RunAsync(ct, "profile", "fast");
        var clock = Stopwatch.StartNew();
        var inventory = await Lab.UpAsync(hosts, ct);
        return (inventory, clock.Elapsed);
    }

    public async Task<int> AddClusterAsync(ClusterSpec spec, IEnumerable<(string Host, NodeRole Role)> roles, CancellationToken ct)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var cluster = new Cluster { Name = $"bench-{Guid.NewGuid():N}"[..14], Spec = spec, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync(ct);
        foreach (var (host, role) in roles)
        {
            // One SaveChanges per node keeps the insertion order (the first control plane first), as ClusterCatalog does.
            db.ClusterNodes.Add(new ClusterNode { ClusterId = cluster.Id, HostId = _hostIds[host], Role = role });
            await db.SaveChangesAsync(ct);
        }

        return cluster.Id;
    }

    /// <summary>Starts a run through the agent's scheduler (Hangfire, as the UI and the API do) and waits for its end.</summary>
    public async Task<RunTiming> RunAsync(int clusterId, string plan, CancellationToken ct, Func<long, Task>? whileRunning = null)
    {
        var scheduler = _app.Services.GetRequiredService<IRunScheduler>();
        var clock = Stopwatch.StartNew();
        var runId = await scheduler.StartAsync(clusterId, plan, null, "bench", ct);
        var during = whileRunning is null ? Task.CompletedTask : whileRunning(runId);
        var run = await WaitFinishedAsync(runId, ct);
        var wall = clock.Elapsed;
        await during;
        return new RunTiming(run, wall);
    }

    public async Task<Run> WaitFinishedAsync(long runId, CancellationToken ct)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                var run = await db.Runs.Include(r => r.Steps).ThenInclude(s => s.Hosts).AsNoTracking().SingleAsync(r => r.Id == runId, ct);
                if (run.Status is not (RunStatus.Queued or RunStatus.Running))
                {
                    return run;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }

    public async Task<List<LogLine>> LogAsync(long runId, CancellationToken ct)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.LogLines.Where(l => l.RunId == runId).OrderBy(l => l.Seq).AsNoTracking().ToListAsync(ct);
    }

    public async Task<string> DescribeFailureAsync(Run run, CancellationToken ct)
    {
        var log = await LogAsync(run.Id, ct);
        return $"run {run.Id} {run.Status}: {run.Error}\n" + string.Join('\n', log.TakeLast(30).Select(l => $"  [{l.StepKey}] {l.Text}"));
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        var protector = _app.Services.GetRequiredService<ISecretProtector>();
        var key = await File.ReadAllTextAsync(Inventory.Hosts[0].PrivateKeyPath, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var credential = new Credential { Name = $"lab-key-{Guid.NewGuid():N}"[..16], Kind = CredentialKind.PrivateKey, ProtectedSecret = protector.Protect(key) };
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

/// <summary>A finished run and the wall time the harness saw from "start" to "finished in the ledger".</summary>
public sealed record RunTiming(Run Run, TimeSpan Wall)
{
    public TimeSpan? Engine => Run.StartedAt is { } s && Run.FinishedAt is { } f ? f - s : null;

    public TimeSpan StepTime(string key) =>
        Run.Steps.SingleOrDefault(s => s.Key == key) is { StartedAt: { } s, FinishedAt: { } f } ? f - s : TimeSpan.Zero;
}
