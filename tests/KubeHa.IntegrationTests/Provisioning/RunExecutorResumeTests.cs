using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;
using static KubeHa.IntegrationTests.Provisioning.KubeadmStateHosts;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>
/// Issue 14.8: resume repairs a half-finished kubeadm init or join. Completion is recorded per host-step by a marker
/// on the host written after the command succeeded, not inferred from admin.conf / kubelet.conf (kubeadm writes them
/// early); a host left without its marker is reset, then the step runs again; a retry after a broken connection
/// checks the marker and cleans up first; an agent that lost the run runs no clean-up. (These hosts answer every
/// command and script, but the cluster API is not there: runs end at the verify step; the steps before it are asserted.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunExecutorResumeTests : IAsyncLifetime
{
    private static readonly (string, NodeRole)[] Roles =
    [
        ("cp1", NodeRole.ControlPlane), ("cp2", NodeRole.ControlPlane), ("cp3", NodeRole.ControlPlane), ("w1", NodeRole.Worker), ("lb", NodeRole.LoadBalancer),
    ];

    private LedgerDatabase _db = null!;

    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.31.2",
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        Cni = CniPlugin.Weave,
        PodSubnet = "10.32.0.0/12",
    };

    public async Task InitializeAsync() => _db = await LedgerDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_AgentKilledMidInitThenTakenOver_NewOwnerResetsAndInitsAgainOldOwnerCleansNothing()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var (cp1, _) = await HostsAsync(clusterId);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var hosts = new KubeadmStateHosts();
        var inits = 0;
        hosts.Interfere = (host, script) => script.StartsWith("kubeadm init", StringComparison.Ordinal) && Interlocked.Increment(ref inits) == 1
            ? Interference.HangHalfDone
            : null;

        // Agent 1 reaches kubeadm init on cp1, which writes admin.conf and kubelet.conf, then never returns.
        var first = hosts.ForAgent();
        var fastPoll = new ProvisioningOptions { RetryDelay = TimeSpan.Zero, VerifyTimeout = TimeSpan.FromSeconds(5), CancelPollInterval = TimeSpan.FromMilliseconds(100) };
        var killed = Task.Run(() => _db.Executor(first, fastPoll).ExecuteAsync(run.Id, "agent-1", attempt: 1, default));
        Assert.True(hosts.Hanging.Wait(TimeSpan.FromMinutes(2)), "kubeadm init was never reached");
        Assert.True(hosts.Has(cp1, Core.Kubernetes.KubeadmPaths.AdminConf));

        // Its heartbeat went stale: another agent takes the run over and resumes it.
        Assert.True(await new InterruptedRunRecovery(_db.Factory, TimeProvider.System).TryTakeOverAsync(new OrphanedRun(run.Id, clusterId, "agent-1", 1), default));
        var second = hosts.ForAgent();
        Assert.True(await _db.Executor(second).ExecuteAsync(run.Id, "agent-2", attempt: 2, default));

        var resumed = await LoadRunAsync(run.Id);
        AssertStepsSucceeded(resumed, "init-first-control-plane", "join-control-planes", "join-workers");
        var onCp1 = second.On(cp1);
        var reset = onCp1.ToList().FindIndex(s => s.Contains("kubeadm reset", StringComparison.Ordinal));
        var init = onCp1.ToList().FindIndex(s => s.StartsWith("kubeadm init", StringComparison.Ordinal));
        Assert.True(reset >= 0 && init > reset, "half-initialised cp1 is reset, then initialised again:\n" + string.Join('\n', onCp1));
        Assert.Single(onCp1, s => s.StartsWith("kubeadm init", StringComparison.Ordinal));
        Assert.True(hosts.Has(cp1, StepMarkers.Path(clusterId, "init-first-control-plane")));
        var initStep = resumed.Steps.Single(s => s.Key == "init-first-control-plane").Hosts.Single();
        Assert.Equal((StepStatus.Succeeded, 2), (initStep.Status, initStep.Attempt));

        // The killed agent's command finally returns: it lost the run, so it resets nothing and records nothing.
        await WaitUntilPollSawTheTakeoverAsync();
        var commandsBefore = first.Log.Count;
        hosts.Hung.Set();
        Assert.True(await killed);
        Assert.DoesNotContain(first.Log.Skip(commandsBefore), l => l.Script.Contains("kubeadm reset", StringComparison.Ordinal));
        Assert.True(hosts.Has(cp1, Core.Kubernetes.KubeadmPaths.AdminConf));
        var after = await LoadRunAsync(run.Id);
        Assert.Equal((resumed.Status, 2, "agent-2", resumed.FinishedAt, resumed.Error), (after.Status, after.Attempt, after.ClaimedBy, after.FinishedAt, after.Error));
        Assert.Equal(StepStatus.Succeeded, after.Steps.Single(s => s.Key == "init-first-control-plane").Hosts.Single().Status);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionBreaksMidJoin_RetryResetsTheHostBeforeJoiningAgain()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var (_, w1) = await HostsAsync(clusterId);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var hosts = new KubeadmStateHosts();
        var joins = 0;
        hosts.Interfere = (host, script) => host.HostId == w1 && script.StartsWith("kubeadm join", StringComparison.Ordinal) && Interlocked.Increment(ref joins) == 1
            ? Interference.BreakHalfDone
            : null;
        var agent = hosts.ForAgent();

        Assert.True(await _db.Executor(agent).ExecuteAsync(run.Id, "agent-1", attempt: 1, default));

        AssertStepsSucceeded(await LoadRunAsync(run.Id), "join-workers");
        var onW1 = agent.On(w1).Where(s => s.StartsWith("kubeadm join", StringComparison.Ordinal) || s.Contains("kubeadm reset", StringComparison.Ordinal)).ToList();
        Assert.Collection(
            onW1,
            s => Assert.StartsWith("kubeadm join", s, StringComparison.Ordinal),
            s => Assert.Contains("kubeadm reset", s, StringComparison.Ordinal),
            s => Assert.StartsWith("kubeadm join", s, StringComparison.Ordinal));
        Assert.True(hosts.Has(w1, StepMarkers.Path(clusterId, "join-workers")));
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionBreaksAfterJoinFinished_RetryFindsTheMarkerAndDoesNotJoinAgain()
    {
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var (_, w1) = await HostsAsync(clusterId);
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var hosts = new KubeadmStateHosts();
        var marks = 0;
        hosts.Interfere = (host, script) => host.HostId == w1 && script.Contains("join-workers.done", StringComparison.Ordinal) && script.Contains("touch", StringComparison.Ordinal) && Interlocked.Increment(ref marks) == 1
            ? Interference.BreakAfter
            : null;
        var agent = hosts.ForAgent();

        Assert.True(await _db.Executor(agent).ExecuteAsync(run.Id, "agent-1", attempt: 1, default));

        AssertStepsSucceeded(await LoadRunAsync(run.Id), "join-workers");
        var onW1 = agent.On(w1);
        Assert.Single(onW1, s => s.StartsWith("kubeadm join", StringComparison.Ordinal));
        Assert.DoesNotContain(onW1, s => s.Contains("kubeadm reset", StringComparison.Ordinal));
        Assert.Contains(onW1, s => s.StartsWith("test -e", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_AddNodesOnAClusterWithoutMarkers_InitIsStillSkippedFromFacts()
    {
        // A cluster provisioned before markers existed: admin.conf without a marker is not half-done when no attempt
        // of this run started init there.
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var (cp1, _) = await HostsAsync(clusterId);
        var hosts = new KubeadmStateHosts();
        var agent = hosts.ForAgent();
        var create = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        Assert.True(await _db.Executor(agent).ExecuteAsync(create.Id, "agent-1", attempt: 1, default));
        AssertStepsSucceeded(await LoadRunAsync(create.Id), "init-first-control-plane", "join-control-planes", "join-workers");
        hosts.RemoveMarkers();

        var again = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
        var second = hosts.ForAgent();
        Assert.True(await _db.Executor(second).ExecuteAsync(again.Id, "agent-1", attempt: 1, default));

        Assert.DoesNotContain(second.On(cp1), s => s.Contains("kubeadm init", StringComparison.Ordinal) || s.Contains("kubeadm reset", StringComparison.Ordinal));
        Assert.Equal(StepStatus.Skipped, (await LoadRunAsync(again.Id)).Steps.Single(s => s.Key == "init-first-control-plane").Hosts.Single().Status);
    }

    [Fact]
    public async Task ExecuteAsync_StaleMarkersWithoutKubeconfig_InitAndJoinRunAnyway()
    {
        // Markers of a cluster with the same id on hosts that hold no kubeadm files: left by another panel, a database
        // started afresh, or a reset done by hand. They must not skip kubeadm init or join.
        var clusterId = await _db.AddClusterAsync(Spec, Roles);
        var (cp1, w1) = await HostsAsync(clusterId);
        var hosts = new KubeadmStateHosts();
        hosts.AddFile(cp1, StepMarkers.Path(clusterId, "init-first-control-plane"));
        hosts.AddFile(w1, StepMarkers.Path(clusterId, "join-workers"));
        var agent = hosts.ForAgent();
        var run = await _db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);

        Assert.True(await _db.Executor(agent).ExecuteAsync(run.Id, "agent-1", attempt: 1, default));

        AssertStepsSucceeded(await LoadRunAsync(run.Id), "init-first-control-plane", "join-workers");
        Assert.Single(agent.On(cp1), s => s.StartsWith("kubeadm init", StringComparison.Ordinal));
        Assert.Single(agent.On(w1), s => s.StartsWith("kubeadm join", StringComparison.Ordinal));
        Assert.True(hosts.Has(cp1, Core.Kubernetes.KubeadmPaths.AdminConf));
    }

    private static void AssertStepsSucceeded(Run run, params string[] keys)
    {
        foreach (var key in keys)
        {
            var step = run.Steps.Single(s => s.Key == key);
            Assert.True(step.Status == StepStatus.Succeeded, $"{key}: {step.Status}; run {run.Status}: {run.Error}");
        }
    }

    private async Task WaitUntilPollSawTheTakeoverAsync()
    {
        // The hung agent's control poll (every 100 ms) reads the ledger; give it a few rounds with the run no longer its own.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private async Task<(int Cp1, int W1)> HostsAsync(int clusterId)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        var nodes = await db.ClusterNodes.Where(n => n.ClusterId == clusterId).Include(n => n.Host).ToListAsync();
        return (nodes.Single(n => n.Host!.Name.StartsWith("cp1", StringComparison.Ordinal)).HostId, nodes.Single(n => n.Host!.Name.StartsWith("w1", StringComparison.Ordinal)).HostId);
    }

    private async Task<Run> LoadRunAsync(long runId)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        return await db.Runs.AsNoTracking().Include(r => r.Steps).ThenInclude(s => s.Hosts).SingleAsync(r => r.Id == runId);
    }
}
