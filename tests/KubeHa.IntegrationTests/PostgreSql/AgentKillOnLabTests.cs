using KubeHa.Agent;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.Core.Security;
using KubeHa.IntegrationTests.Provisioning.Lab;
using KubeHa.Testing.PostgreSql;
using KubeHa.Testing.Processes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>
/// The honest version of takeover: two real agent processes (src/Agent) on PostgreSQL provision a cluster of lab
/// hosts over SSH; the one executing the run is killed with SIGKILL right after kubeadm init; the other notices its
/// heartbeat stop, takes the run over and finishes it without running kubeadm init again.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class AgentKillOnLabTests(PostgreSqlServer server, ITestOutputHelper output) : IClassFixture<PostgreSqlServer>
{
    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.29.10",
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        ControlPlaneEndpointPort = 6443,
        ContainerRuntime = ContainerRuntime.CriO,
        Cni = CniPlugin.Weave,
        PodSubnet = "10.32.0.0/12",
    };

    [Fact]
    public async Task AgentKilledMidRun_OtherAgentProcessResumesWithoutRepeatingInit()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = cts.Token;
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var dataDirectory = Directory.CreateTempSubdirectory("kubeha-kill-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["KubeHa__Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__KubeHa"] = catalog.ConnectionString,
            ["KubeHa__DataDirectory"] = dataDirectory,
            ["KubeHa__Agent__WorkerCount"] = "4",
            ["KubeHa__Agents__HeartbeatInterval"] = "00:00:01",
            ["KubeHa__Agents__StaleAfter"] = "00:00:05",
            ["KubeHa__Provisioning__RetryDelay"] = "00:00:01",
            ["KubeHa__Provisioning__VerifyTimeout"] = "00:01:00",
        };

        // The "Web" side, in this process: the same composition, no worker; it encrypts the credential with the key
        // ring the agents share and enqueues the run on the PostgreSQL job storage.
        var web = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value)).Build())
            .AddKubeHaAgent(runWorker: false)
            .BuildServiceProvider();
        await using var webScope = web;
        var lab = LabProvisioning.Lab;
        await lab.DownAsync(ct);
        AppProcess? first = null, second = null;
        try
        {
            var inventory = await lab.UpAsync(5, ct);
            await lab.RunAsync(ct, "profile", "fast");
            var clusterId = await AddLabClusterAsync(catalog, inventory, web.GetRequiredService<ISecretProtector>(), ct);
            first = AppProcess.StartAgent("agent-one", environment);
            second = AppProcess.StartAgent("agent-two", environment);
            var runId = await web.GetRequiredService<IRunScheduler>().StartAsync(clusterId, PlanCatalog.Create, null, "lab-test", ct);

            var atInit = await PollAsync(catalog, runId, r => r.Steps.Any(s => s.Key == "init-first-control-plane" && s.Status == StepStatus.Succeeded) || r.Status is not (RunStatus.Queued or RunStatus.Running), ct);
            Assert.True(atInit.Status == RunStatus.Running, $"{atInit.Status}: {atInit.Error}\n{first.Output}\n{second.Output}");
            var victim = atInit.ClaimedBy == first.Name ? first : second;
            var survivor = victim == first ? second : first;
            Assert.Equal(victim.Name, atInit.ClaimedBy);
            await victim.KillAsync();
            output.WriteLine($"killed {victim.Name} (pid {victim.Pid}) after init; survivor {survivor.Name}");

            var done = await PollAsync(catalog, runId, r => r.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled, ct);

            await using var db = await catalog.Factory.CreateDbContextAsync(ct);
            var log = await db.LogLines.Where(l => l.RunId == runId).OrderBy(l => l.Seq).ToListAsync(ct);
            var described = $"run {done.Status} attempt {done.Attempt} by {done.ClaimedBy}: {done.Error}\n" + string.Join('\n', log.TakeLast(40).Select(l => $"[{l.StepKey}] {l.Text}")) + $"\n--- survivor ---\n{survivor.Output[^Math.Min(4000, survivor.Output.Length)..]}";
            Assert.True(done.Status == RunStatus.Succeeded, described);
            Assert.Equal((survivor.Name, 2), (done.ClaimedBy, done.Attempt));
            Assert.Single(log, l => l.Text.StartsWith("$ ", StringComparison.Ordinal) && l.Text.Contains("kubeadm init", StringComparison.Ordinal));
            var init = done.Steps.Single(s => s.Key == "init-first-control-plane").Hosts.Single();
            Assert.Equal((StepStatus.Succeeded, 1), (init.Status, init.Attempt));
            Assert.Contains(log, l => l.Text.Contains(": attempt 2,", StringComparison.Ordinal));
            Assert.Contains($"its agent {victim.Name} is offline during attempt 1; {survivor.Name} marked it interrupted", survivor.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (first is not null)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }

            using var down = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await lab.DownAsync(down.Token);
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<int> AddLabClusterAsync(PostgreSqlCatalog catalog, KubeHa.Lab.LabInventory inventory, ISecretProtector protector, CancellationToken ct)
    {
        var key = await File.ReadAllTextAsync(inventory.Hosts[0].PrivateKeyPath, ct);
        await using var db = await catalog.Factory.CreateDbContextAsync(ct);
        var credential = new Credential { Name = "lab-key", Kind = CredentialKind.PrivateKey, ProtectedSecret = protector.Protect(key) };
        var hosts = new Dictionary<string, ManagedHost>();
        foreach (var h in inventory.Hosts)
        {
            var pub = await File.ReadAllTextAsync(h.HostKeyPath, ct);
            hosts[h.Name] = new ManagedHost
            {
                Name = h.Name, Address = h.Ip, Port = h.SshPort, Username = h.User, Credential = credential,
                HostKeyAlgorithm = "ssh-ed25519", HostKeyFingerprint = SshFingerprint.Sha256OfPublicKeyLine(pub),
                HostKeyPinnedAt = DateTimeOffset.UtcNow, CheckStatus = HostCheckStatus.Succeeded,
            };
        }

        var now = DateTimeOffset.UtcNow;
        var cluster = new Cluster { Name = "killed-agent", Spec = Spec, CreatedAt = now, UpdatedAt = now };
        foreach (var (host, role) in new[] { ("node1", NodeRole.ControlPlane), ("node2", NodeRole.ControlPlane), ("node3", NodeRole.ControlPlane), ("node4", NodeRole.Worker), ("node5", NodeRole.LoadBalancer) })
        {
            cluster.Nodes.Add(new ClusterNode { Host = hosts[host], Role = role });
        }

        db.Clusters.Add(cluster);
        await db.SaveChangesAsync(ct);
        return cluster.Id;
    }

    private static async Task<Run> PollAsync(PostgreSqlCatalog catalog, long runId, Func<Run, bool> done, CancellationToken ct)
    {
        while (true)
        {
            var run = await catalog.LoadRunAsync(runId);
            if (done(run))
            {
                return run;
            }

            await Task.Delay(200, ct);
        }
    }
}
