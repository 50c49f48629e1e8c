using KubeHa.Agent.Jobs;
using KubeHa.Core.Agents;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Testing.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>
/// Two agents, each with its own Hangfire server on the same PostgreSQL storage (composed as src/Agent composes
/// them), competing for runs, one crashing mid-run, and zones.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgresql")]
public sealed class AgentTakeoverTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly List<InProcessAgent> _agents = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("kubeha-agents-").FullName;
    private PostgreSqlCatalog _catalog = null!;

    public async Task InitializeAsync() => _catalog = await PostgreSqlCatalog.CreateAsync(server);

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task TwoAgents_RunsOfOneClusterCompeting_NeverRunAtOnce()
    {
        var gate = new CommandGate();
        var a = await StartAgentAsync("agent-a", ["default"], gate);
        var b = await StartAgentAsync("agent-b", ["default"], gate);
        var clusterId = await _catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
        var scheduler = a.Services.GetRequiredService<IRunScheduler>();
        var maxRunning = 0;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                await using var db = await _catalog.Factory.CreateDbContextAsync();
                var running = await db.Runs.CountAsync(r => r.ClusterId == clusterId && r.Status == RunStatus.Running);
                maxRunning = Math.Max(maxRunning, running);
                await Task.Delay(20);
            }
        });

        var first = await scheduler.StartAsync(clusterId, PlanCatalog.Create, null, "tester", default);
        var second = await scheduler.StartAsync(clusterId, PlanCatalog.Create, null, "tester", default);
        await gate.Reached.WaitAsync(Deadline);
        // Both jobs were fetched by the two servers: the one that lost the claim finished without running anything.
        await WaitUntilAsync(() => Task.FromResult(a.Storage.GetMonitoringApi().SucceededListCount() >= 1));
        var held = await RunningRunAsync(clusterId);
        var waiting = held == first ? second : first;
        Assert.Equal(RunStatus.Queued, (await _catalog.LoadRunAsync(waiting)).Status);

        gate.Open();
        await WaitUntilAsync(async () => (await _catalog.LoadRunAsync(held)).Status == RunStatus.Succeeded);
        await scheduler.ResumeAsync(waiting, default).ContinueWith(_ => { }); // queued runs do not resume: no effect
        await stopSampling.CancelAsync();
        await sampler;

        Assert.Equal(1, maxRunning);
        Assert.Equal(RunStatus.Queued, (await _catalog.LoadRunAsync(waiting)).Status);
        Assert.Equal(1, gate.Count("kubeadm init"));
    }

    [Fact]
    public async Task AgentCrashesMidRun_OtherAgentResumesWithoutRepeatingFinishedSteps()
    {
        var gate = new CommandGate();
        var a = await StartAgentAsync("agent-a", ["default"], gate);
        var b = await StartAgentAsync("agent-b", ["default"], gate);
        var clusterId = await _catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
        var runId = await a.Services.GetRequiredService<IRunScheduler>().StartAsync(clusterId, PlanCatalog.Create, null, "tester", default);

        var victimName = await gate.Reached.WaitAsync(Deadline);
        var victim = victimName == a.Name ? a : b;
        var survivor = victim == a ? b : a;
        var before = await _catalog.LoadRunAsync(runId);
        Assert.Equal((RunStatus.Running, victimName, 1), (before.Status, before.ClaimedBy, before.Attempt));
        var finishedBefore = before.Steps.Where(s => s.Status == StepStatus.Succeeded).Select(s => s.Key).ToList();
        Assert.Contains("init-first-control-plane", finishedBefore);
        await victim.CrashAsync();

        await WaitUntilAsync(async () => (await _catalog.LoadRunAsync(runId)).Status is RunStatus.Succeeded or RunStatus.Failed);

        var done = await _catalog.LoadRunAsync(runId);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        // Attempt 2 or later: the simulated crash cannot stop the victim's Hangfire worker that is already waiting on
        // a fetch, so the victim may still pick up the resume job, wedge on it, and have it taken over once more;
        // a process killed with SIGKILL could not. Either way, the survivor finishes it and nothing finished repeats.
        Assert.Equal(survivor.Name, done.ClaimedBy);
        Assert.True(done.Attempt >= 2, $"attempt {done.Attempt}");
        Assert.Equal(1, gate.Count("kubeadm init"));
        Assert.Equal(0, gate.Count("kubeadm init", survivor.Name));
        Assert.True(gate.Count("kubeadm join", survivor.Name) > 0);
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        var seqs = await db.LogLines.Where(l => l.RunId == runId).OrderBy(l => l.Seq).Select(l => l.Seq).ToListAsync();
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.Null((await db.Clusters.SingleAsync(c => c.Id == clusterId)).ActiveRunId);
        var agents = await survivor.Services.GetRequiredService<AgentRegistry>().ListAsync(default);
        Assert.False(agents.Single(x => x.Name == victim.Name).Online);
        Assert.True(agents.Single(x => x.Name == survivor.Name).Online);
    }

    [Fact]
    public async Task ClusterPinnedToZone_RunsOnlyOnThatZonesAgent()
    {
        var gate = new CommandGate { BlockPrefix = "never-blocks" };
        var central = await StartAgentAsync("agent-central", ["default"], gate);
        var dmz = await StartAgentAsync("agent-dmz", ["dmz"], gate);
        var pinned = await _catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles, zone: "dmz");
        var unpinned = await _catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
        var scheduler = central.Services.GetRequiredService<IRunScheduler>();
        var runs = new List<(long Run, string Agent)>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add((await scheduler.StartAsync(pinned, PlanCatalog.Create, null, "tester", default), dmz.Name));
            await WaitUntilAsync(async () => (await _catalog.LoadRunAsync(runs[^1].Run)).Status == RunStatus.Succeeded);
            runs.Add((await scheduler.StartAsync(unpinned, PlanCatalog.Create, null, "tester", default), central.Name));
            await WaitUntilAsync(async () => (await _catalog.LoadRunAsync(runs[^1].Run)).Status == RunStatus.Succeeded);
        }

        foreach (var (run, agent) in runs)
        {
            Assert.Equal(agent, (await _catalog.LoadRunAsync(run)).ClaimedBy);
        }

        Assert.Equal("dmz", await central.Services.GetRequiredService<ZoneQueues>().ForClusterAsync(pinned, default));
        var listed = await dmz.Services.GetRequiredService<AgentRegistry>().ListAsync(default);
        Assert.Equal(["dmz"], listed.Single(x => x.Name == dmz.Name).Zones);
    }

    private async Task<InProcessAgent> StartAgentAsync(string name, string[] queues, CommandGate gate)
    {
        var agent = await InProcessAgent.StartAsync(name, queues, _catalog.ConnectionString, _dataDirectory, gate);
        _agents.Add(agent);
        return agent;
    }

    private async Task<long> RunningRunAsync(int clusterId)
    {
        await using var db = await _catalog.Factory.CreateDbContextAsync();
        return await db.Runs.Where(r => r.ClusterId == clusterId && r.Status == RunStatus.Running).Select(r => r.Id).SingleAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met before the deadline");
            await Task.Delay(100);
        }
    }
}
