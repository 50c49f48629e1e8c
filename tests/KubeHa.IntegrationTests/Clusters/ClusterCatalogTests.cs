using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.IntegrationTests.Provisioning;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>The cluster catalog on a real SQLite file with the checked-in migrations; runs are queued in the real ledger.</summary>
[Trait("Category", "Integration")]
public sealed class ClusterCatalogTests : IAsyncLifetime
{
    private LedgerDatabase _db = null!;
    private LedgerScheduler _scheduler = null!;
    private ClusterCatalog _catalog = null!;

    private static ClusterSpec Spec => new()
    {
        KubernetesVersion = "1.31.2",
        LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy,
        Cni = CniPlugin.Calico,
        PodSubnet = "10.244.0.0/16",
    };

    public async Task InitializeAsync()
    {
        _db = await LedgerDatabase.CreateAsync();
        _scheduler = new LedgerScheduler(_db.Ledger);
        _catalog = new ClusterCatalog(_db.Factory, _scheduler, new PlanPreviewer(_db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task CreateAsync_ValidDraft_SavesClusterWithHostsInDraftOrder()
    {
        var hosts = await AddHostsAsync("cp-b", "cp-a", "cp-c", "w1", "lb");
        var draft = Draft("prod", hosts);

        var result = await _catalog.CreateAsync(draft, default);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Message)));
        var details = await _catalog.GetAsync(result.ClusterId!.Value, default);
        Assert.NotNull(details);
        Assert.Equal(["cp-b", "cp-a", "cp-c", "w1", "lb"], details.Members.Select(m => m.Name));
        Assert.Equal(ClusterStatus.Draft, details.Summary.Status);
        Assert.Equal((3, 1, 1), (details.Summary.ControlPlanes, details.Summary.Workers, details.Summary.LoadBalancers));
        Assert.Equal("10.9.1.5:6443", details.Summary.Endpoint);
    }

    [Fact]
    public async Task CreateAsync_InvalidFields_ReturnsErrorsOnThoseFields()
    {
        var hosts = await AddHostsAsync("cp1", "cp2", "w1", "lb");
        var draft = Draft("Prod Cluster!", hosts) with { Spec = Spec with { PodSubnet = "10.244.0.0/33", KubernetesVersion = "1.20.0" } };

        var result = await _catalog.CreateAsync(draft, default);

        Assert.False(result.Succeeded);
        Assert.Contains("name", result.ErrorsByField.Keys);
        Assert.Contains("podSubnet", result.ErrorsByField.Keys);
        Assert.Contains("kubernetesVersion", result.ErrorsByField.Keys);
        Assert.Contains(result.Errors, e => e is { Field: "roles", Code: "even-control-planes" });
        await using var db = await _db.Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Clusters.CountAsync());
    }

    [Fact]
    public async Task CreateAsync_HostInAnotherCluster_RefusedNamingTheCluster()
    {
        var hosts = await AddHostsAsync("cp1", "cp2", "cp3", "lb");
        Assert.True((await _catalog.CreateAsync(Draft("first", hosts), default)).Succeeded);
        var others = await AddHostsAsync("cp4", "cp5", "lb2");

        var result = await _catalog.CreateAsync(Draft("second", [hosts[0], .. others]), default);

        var issue = Assert.Single(result.Errors, e => e.Code == "host-in-other-cluster");
        Assert.Equal(hosts[0].HostId, issue.HostId);
        Assert.Contains("'first'", issue.Message);
    }

    [Fact]
    public async Task CreateAsync_NameTaken_Refused()
    {
        Assert.True((await _catalog.CreateAsync(Draft("prod", await AddHostsAsync("cp1", "cp2", "cp3", "lb1")), default)).Succeeded);

        var result = await _catalog.CreateAsync(Draft("prod", await AddHostsAsync("cp4", "cp5", "cp6", "lb2")), default);

        Assert.Equal("name-taken", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task StartRunAsync_AnotherRunActive_ReturnsConflictNamingIt()
    {
        var id = (await _catalog.CreateAsync(Draft("prod", await AddHostsAsync("cp1", "cp2", "cp3", "lb")), default)).ClusterId!.Value;
        var first = await _catalog.StartRunAsync(id, PlanCatalog.Create, null, "alice", default);

        var second = await _catalog.StartRunAsync(id, PlanCatalog.Create, null, "bob", default);

        Assert.True(first.Accepted);
        Assert.Equal(RunCommandOutcome.Conflict, second.Outcome);
        Assert.Equal(first.RunId, second.ActiveRunId);
        Assert.Single(_scheduler.Started);
    }

    [Fact]
    public async Task StartRunAsync_UnknownClusterOrPlan_NotAccepted()
    {
        Assert.Equal(RunCommandOutcome.NotFound, (await _catalog.StartRunAsync(4242, PlanCatalog.Create, null, null, default)).Outcome);
        Assert.Equal(RunCommandOutcome.InvalidState, (await _catalog.StartRunAsync(1, "upgrade", null, null, default)).Outcome);
    }

    [Fact]
    public async Task DeleteAsync_WhileRunActive_RefusedThenAllowedAfterItFinished()
    {
        var id = (await _catalog.CreateAsync(Draft("prod", await AddHostsAsync("cp1", "cp2", "cp3", "lb")), default)).ClusterId!.Value;
        var run = await _catalog.StartRunAsync(id, PlanCatalog.Create, null, null, default);

        var refused = await _catalog.DeleteAsync(id, default);
        Assert.True(await _db.Ledger.TryClaimAsync(run.RunId!.Value, "test-agent", 1, default));
        await _db.Ledger.FinishRunAsync(run.RunId!.Value, new RunOwner("test-agent", 1), RunStatus.Failed, "boom", ClusterStatus.Failed, default);
        var deleted = await _catalog.DeleteAsync(id, default);

        Assert.False(refused.Succeeded);
        Assert.Contains("in progress", refused.Error);
        Assert.True(deleted.Succeeded);
        Assert.Null(await _catalog.GetAsync(id, default));
    }

    [Fact]
    public async Task ResumeRunAsync_FailedRun_RequeuedAndSucceededRunRefused()
    {
        var id = (await _catalog.CreateAsync(Draft("prod", await AddHostsAsync("cp1", "cp2", "cp3", "lb")), default)).ClusterId!.Value;
        var run = (await _catalog.StartRunAsync(id, PlanCatalog.Create, null, null, default)).RunId!.Value;
        Assert.True(await _db.Ledger.TryClaimAsync(run, "test-agent", 1, default));
        await _db.Ledger.FinishRunAsync(run, new RunOwner("test-agent", 1), RunStatus.Failed, "boom", ClusterStatus.Failed, default);

        var resumed = await _catalog.ResumeRunAsync(run, default);
        Assert.True(await _db.Ledger.TryClaimAsync(run, "test-agent", 2, default));
        await _db.Ledger.FinishRunAsync(run, new RunOwner("test-agent", 2), RunStatus.Succeeded, null, ClusterStatus.Healthy, default);
        var again = await _catalog.ResumeRunAsync(run, default);

        Assert.True(resumed.Accepted);
        Assert.Equal([run], _scheduler.Resumed);
        Assert.Equal(RunCommandOutcome.InvalidState, again.Outcome);
    }

    [Fact]
    public async Task ListAsync_ClusterWithRun_ShowsStatusCountsAndLastRun()
    {
        var id = (await _catalog.CreateAsync(Draft("prod", await AddHostsAsync("cp1", "cp2", "cp3", "w1", "lb")), default)).ClusterId!.Value;
        var run = (await _catalog.StartRunAsync(id, PlanCatalog.Create, null, null, default)).RunId!.Value;
        Assert.True(await _db.Ledger.TryClaimAsync(run, "test-agent", 1, default));
        Assert.Equal(ClusterStatus.Provisioning, Assert.Single(await _catalog.ListAsync(default)).Status);
        await _db.Ledger.FinishRunAsync(run, new RunOwner("test-agent", 1), RunStatus.Failed, "boom", ClusterStatus.Failed, default);

        var summary = Assert.Single(await _catalog.ListAsync(default));

        Assert.Equal(ClusterStatus.Failed, summary.Status);
        Assert.Equal(run, summary.LastRun!.Id);
        Assert.Equal(RunStatus.Failed, summary.LastRun.Status);
        Assert.True(summary.LastRun.IsResumable);
    }

    [Fact]
    public async Task PreviewAsync_Draft_ListsInitOnceOnTheFirstControlPlaneWithoutSaving()
    {
        var hosts = await AddHostsAsync("cp1", "cp2", "cp3", "lb");

        var lines = await _catalog.PreviewAsync(Draft("prod", hosts), PlanCatalog.Create, default);

        var init = lines.Where(l => l.StepKey == "init-first-control-plane" && l.Text.Contains("kubeadm init", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(init);
        Assert.All(init, l => Assert.Equal(hosts[0].HostId, l.HostId));
        await using var db = await _db.Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Clusters.CountAsync());
    }

    private static ClusterDraft Draft(string name, IReadOnlyList<HostRoles> hosts) => new(name, Spec, hosts);

    /// <summary>Hosts 10.9.1.N; names starting with "cp" are control planes, "lb" load balancers, others workers.</summary>
    private async Task<List<HostRoles>> AddHostsAsync(params string[] names)
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        var credential = await db.Credentials.FirstOrDefaultAsync() ?? new Credential { Name = "c", Kind = CredentialKind.Password, ProtectedSecret = "enc:x" };
        var offset = await db.Hosts.CountAsync();
        var added = names.Select((n, i) => new ManagedHost { Name = n, Address = $"10.9.1.{offset + i + 1}", Username = "root", Credential = credential, HostKeyFingerprint = "SHA256:test" }).ToList();
        db.Hosts.AddRange(added);
        await db.SaveChangesAsync();
        return added.Select(h => new HostRoles(h.Id, new HashSet<NodeRole>
        {
            h.Name.StartsWith("cp", StringComparison.Ordinal) ? NodeRole.ControlPlane : h.Name.StartsWith("lb", StringComparison.Ordinal) ? NodeRole.LoadBalancer : NodeRole.Worker,
        })).ToList();
    }

    /// <summary>Queues runs in the real ledger like the Hangfire scheduler, without executing them.</summary>
    private sealed class LedgerScheduler(RunLedger ledger) : IRunScheduler
    {
        public List<long> Started { get; } = [];

        public List<long> Resumed { get; } = [];

        public async Task<long> StartAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken)
        {
            var run = await ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(planKey), targetHostIds, user, cancellationToken);
            Started.Add(run.Id);
            return run.Id;
        }

        public Task ResumeAsync(long runId, CancellationToken cancellationToken)
        {
            // Like the scheduler, enqueue the next attempt (here: remember it); the run stays as recorded until claimed.
            Resumed.Add(runId);
            return Task.CompletedTask;
        }

        public Task CancelAsync(long runId, CancellationToken cancellationToken) => ledger.RequestCancelAsync(runId, cancellationToken);
    }
}
