using KubeHa.Core.Clusters;
using KubeHa.Core.Diagnostics;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>The executor and the ledger on a real SQLite file, hosts driven by the dry-run shell (same step code).</summary>
[Trait("Category", "Integration")]
public sealed class RunExecutorLedgerTests : IAsyncLifetime
{
    private LedgerDatabase _db = null!;

    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.31.2",
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        Cni = CniPlugin.Weave,
        PodSubnet = "10.32.0.0/12",
    };

    private static readonly (string, NodeRole)[] Roles =
    [
        ("cp1", NodeRole.ControlPlane), ("cp2", NodeRole.ControlPlane), ("cp3", NodeRole.ControlPlane),
        ("w1", NodeRole.Worker), ("w2", NodeRole.Worker), ("lb", NodeRole.LoadBalancer),
    ];

    public async Task InitializeAsync() => _db = await LedgerDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_JoinFailsThenResume_ContinuesWithoutRepeatingInit()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var failJoin = true;
        var shells = new DryRunHostShellFactory((host, script) =>
            failJoin && script.StartsWith("kubeadm join", StringComparison.Ordinal) && host.Address == "10.9.0.3"
                ? new RemoteCommandResult(1, "[preflight] Running pre-flight checks\n", "error execution phase preflight: couldn't validate the identity of the API Server")
                : null);

        Assert.True(await _db.Executor(shells).ExecuteAsync(run.Id, "agent-1", attempt: 1, default));
        var failed = await LoadRunAsync(run.Id);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("join-control-planes", failed.Error, StringComparison.Ordinal);
        Assert.Contains("kubeadm join --config", failed.Error, StringComparison.Ordinal);
        Assert.Contains("couldn't validate the identity", failed.Error, StringComparison.Ordinal);
        var joinStep = failed.Steps.Single(s => s.Key == "join-control-planes");
        Assert.Equal(StepStatus.Failed, joinStep.Status);
        Assert.Equal(StepStatus.Succeeded, joinStep.Hosts.Single(h => h.Status == StepStatus.Succeeded).Status);
        Assert.Equal(1, joinStep.Hosts.Single(h => h.Status == StepStatus.Failed).ExitCode);
        Assert.Equal(StepStatus.Pending, failed.Steps.Single(s => s.Key == "join-workers").Status);
        Assert.Null(await ActiveRunAsync(clusterId));

        failJoin = false;
        Assert.True(await _db.Executor(shells).ExecuteAsync(run.Id, "agent-1", attempt: 2, default));
        var resumed = await LoadRunAsync(run.Id);
        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        Assert.Equal(2, resumed.Attempt);
        Assert.All(resumed.Steps, s => Assert.True(s.Status is StepStatus.Succeeded or StepStatus.Skipped, s.Key));

        await using var db = await _db.Factory.CreateDbContextAsync();
        var lines = await db.LogLines.Where(l => l.RunId == run.Id).OrderBy(l => l.Seq).ToListAsync();
        Assert.Single(lines, l => l.Text.StartsWith("would run: kubeadm init --config", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Seq));
        var banners = lines.Where(l => l.Stream == LogStream.System && l.Text.Contains(": attempt ", StringComparison.Ordinal)).Select(l => l.Text).ToList();
        Assert.Collection(
            banners,
            first => Assert.Contains(": attempt 1,", first, StringComparison.Ordinal),
            second => Assert.Contains(": attempt 2,", second, StringComparison.Ordinal));
        var cluster = await db.Clusters.SingleAsync(c => c.Id == clusterId);
        Assert.Equal(ClusterStatus.Healthy, cluster.Status);
        Assert.NotNull(cluster.ProtectedBootstrapToken);
        var token = _db.Protector.Unprotect(cluster.ProtectedBootstrapToken!);
        var key = _db.Protector.Unprotect(cluster.ProtectedCertificateKey!);
        Assert.DoesNotContain(lines, l => l.Text.Contains(token, StringComparison.Ordinal) || l.Text.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(token, resumed.Error ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunFindings_JoinFailedWithExpiredToken_DiagnosisNamesStepHostAndCode()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var shells = new DryRunHostShellFactory((host, script) =>
            script.StartsWith("kubeadm join", StringComparison.Ordinal) && host.Address == "10.9.0.3"
                ? new RemoteCommandResult(
                    1,
                    "[preflight] Running pre-flight checks\n",
                    "error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"abcdef\"")
                : null);
        Assert.True(await _db.Executor(shells).ExecuteAsync(run.Id, "agent-1", attempt: 1, default));

        var findings = await new RunFindingsReader(_db.Factory).GetAsync(run.Id, default);

        var finding = Assert.Single(findings!);
        Assert.Equal("join-control-planes", finding.StepKey);
        Assert.Equal(await HostIdAsync("10.9.0.3"), finding.HostId);
        Assert.Equal(KubeadmFindingCodes.TokenInvalid, finding.Finding.Code);
        Assert.Contains("token", finding.Finding.Fix, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await new RunFindingsReader(_db.Factory).GetAsync(run.Id + 1000, default));
    }

    [Fact]
    public async Task ExecuteAsync_TwoExecutorsOnOneCluster_ExactlyOneRuns()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var plan = new PlanCatalog(null!).Get(PlanCatalog.Create);
        var first = await _db.Ledger.CreateRunAsync(clusterId, plan, null, null, default);
        var second = await _db.Ledger.CreateRunAsync(clusterId, plan, null, null, default);
        var gate = new TaskCompletionSource();
        var shells = new DryRunHostShellFactory((_, script) =>
        {
            if (script.StartsWith("id -un", StringComparison.Ordinal))
            {
                gate.Task.Wait();
            }

            return null;
        });

        var a = Task.Run(() => _db.Executor(shells).ExecuteAsync(first.Id, "agent-a", attempt: 1, default));
        await WaitUntilAsync(async () => await ActiveRunAsync(clusterId) == first.Id);
        var b = await _db.Executor(shells).ExecuteAsync(second.Id, "agent-b", attempt: 1, default);
        gate.SetResult();

        Assert.False(b);
        Assert.True(await a);
        Assert.Equal(RunStatus.Succeeded, (await LoadRunAsync(first.Id)).Status);
        Assert.Equal(RunStatus.Queued, (await LoadRunAsync(second.Id)).Status);
    }

    [Fact]
    public async Task MarkInterruptedAsync_RunLeftRunning_InterruptedReleasedAndResumable()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, null, default);
        Assert.True(await _db.Ledger.TryClaimAsync(run.Id, "crashed-agent", attempt: 1, default));
        await _db.Ledger.SetStepStatusAsync(run.Id, 0, "connect-hosts", StepStatus.Running, default);
        await _db.Ledger.RecordHostStepAsync(run.Id, 0, "connect-hosts", (await LoadRunAsync(run.Id)).ClusterId > 0 ? await FirstHostAsync(clusterId) : 0, StepStatus.Running, null, null, default);

        var marked = await new InterruptedRunRecovery(_db.Factory, TimeProvider.System).MarkInterruptedAsync(default);

        Assert.Equal(1, marked);
        var interrupted = await LoadRunAsync(run.Id);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Equal(StepStatus.Cancelled, interrupted.Steps[0].Status);
        Assert.Equal(StepStatus.Cancelled, interrupted.Steps[0].Hosts.Single().Status);
        Assert.Null(await ActiveRunAsync(clusterId));

        Assert.True(await _db.Executor(new DryRunHostShellFactory()).ExecuteAsync(run.Id, "agent-2", attempt: 2, default));
        Assert.Equal(RunStatus.Succeeded, (await LoadRunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task RequestCancelAsync_QueuedRunNoAgentStarted_CancelledAtOnceAndNeverClaimed()
    {
        var clusterId = await _db.AddClusterAsync(new ClusterSpec { LoadBalancerMode = LoadBalancerMode.NodeLocal }, [("n1", NodeRole.ControlPlane)]);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "op", default);
        using var watch = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var statuses = _db.Events.SubscribeAsync(run.Id, watch.Token).GetAsyncEnumerator(watch.Token);
        var next = statuses.MoveNextAsync();

        Assert.True(await _db.Ledger.RequestCancelAsync(run.Id, default));

        Assert.True(await next);
        var published = Assert.IsType<RunStatusEvent>(statuses.Current);
        Assert.Equal(RunStatus.Cancelled, published.Status);
        await using (var db = await _db.Factory.CreateDbContextAsync())
        {
            var stored = await db.Runs.SingleAsync(r => r.Id == run.Id);
            Assert.Equal(RunStatus.Cancelled, stored.Status);
            Assert.NotNull(stored.FinishedAt);
            Assert.Null((await db.Clusters.SingleAsync(c => c.Id == clusterId)).ActiveRunId);
        }

        // The job delivered later (an agent of the zone comes online) must not start it.
        Assert.False(await _db.Ledger.TryClaimAsync(run.Id, "late-agent", attempt: 1, default));
        Assert.False(await _db.Ledger.RequestCancelAsync(run.Id, default));
        await statuses.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_CancelledByOperatorDuringCommand_StopsPromptlyAndReleasesCluster()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, null, default);
        var cancellations = new RunCancellations();
        var shells = new DryRunHostShellFactory((_, script) =>
        {
            if (script.StartsWith("modprobe", StringComparison.Ordinal))
            {
                cancellations.Cancel(run.Id); // what the scheduler's CancelAsync does in the executing process
            }

            return null;
        });

        await _db.Executor(shells, cancellations: cancellations).ExecuteAsync(run.Id, "agent", attempt: 1, default);

        var cancelled = await LoadRunAsync(run.Id);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(StepStatus.Succeeded, cancelled.Steps.Single(s => s.Key == "check-preflight").Status);
        Assert.Equal(StepStatus.Pending, cancelled.Steps.Single(s => s.Key == "init-first-control-plane").Status);
        Assert.Null(await ActiveRunAsync(clusterId));
    }

    [Fact]
    public async Task ExecuteAsync_AgentStopsDuringCommand_InterruptedPromptlyAndReleasesCluster()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, null, default);
        using var shutdown = new CancellationTokenSource();
        var shells = new DryRunHostShellFactory((_, script) =>
        {
            if (script.StartsWith("modprobe", StringComparison.Ordinal))
            {
                shutdown.Cancel(); // the job's token: Hangfire cancels it when the agent shuts down
            }

            return null;
        });

        await _db.Executor(shells).ExecuteAsync(run.Id, "agent", attempt: 1, shutdown.Token);

        var interrupted = await LoadRunAsync(run.Id);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Equal(InterruptedRunRecovery.Reason, interrupted.Error);
        Assert.Equal(StepStatus.Pending, interrupted.Steps.Single(s => s.Key == "init-first-control-plane").Status);
        Assert.Null(await ActiveRunAsync(clusterId));
    }

    private async Task<int> HostIdAsync(string address)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        return await db.Hosts.Where(h => h.Address == address).Select(h => h.Id).SingleAsync();
    }

    private async Task<Run> LoadRunAsync(long id)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        return await db.Runs.AsNoTracking().Include(r => r.Steps.OrderBy(s => s.Ordinal)).ThenInclude(s => s.Hosts).SingleAsync(r => r.Id == id);
    }

    private async Task<long?> ActiveRunAsync(int clusterId)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        return await db.Clusters.Where(c => c.Id == clusterId).Select(c => c.ActiveRunId).SingleAsync();
    }

    private async Task<int> FirstHostAsync(int clusterId)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        return await db.ClusterNodes.Where(n => n.ClusterId == clusterId).OrderBy(n => n.Id).Select(n => n.HostId).FirstAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(20);
        }
    }
}
