using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Web.Live;
using KubeHa.Web.Tests.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Live;

/// <summary>The run view's feed on a real SQLite ledger: snapshot, live, gap fill, bounded buffer, older pages.</summary>
public sealed class RunLogFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync();

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Follow_LinesPublishedBeforeSubscribingPersistedLater_FilledFromLedgerInOrder()
    {
        var runId = await CreateRunAsync();
        await PersistAsync(runId, 1, 3);
        var events = _ctx.Services.GetRequiredService<RunEvents>();
        await using var feed = new RunLogFeed(_ctx.Services.GetRequiredService<RunFollower>(), _ctx.Services.GetRequiredService<RunReader>(), runId, () => Task.CompletedTask);
        await feed.StartAsync(default);
        Assert.Equal(3, feed.Lines.Count);

        // Lines 4 and 5 were published before the page subscribed and reach the ledger only now; 6 arrives live.
        events.Publish(Event(runId, 6));
        await Task.Yield();
        await PersistAsync(runId, 4, 5);
        events.Publish(Event(runId, 6));

        await WaitUntilAsync(() => { feed.Apply(); return feed.Lines.Count >= 6; });
        Assert.Equal([1, 2, 3, 4, 5, 6], feed.Lines.Select(l => l.Seq));
        Assert.True(feed.IsContiguous);
    }

    [Fact]
    public async Task Follow_ActiveRunOfAnAgentThatDoesNotRelay_LinesArriveFromTheLedger()
    {
        var runId = await CreateRunAsync();
        await using var feed = new RunLogFeed(_ctx.Services.GetRequiredService<RunFollower>(), _ctx.Services.GetRequiredService<RunReader>(), runId, () => Task.CompletedTask);
        await feed.StartAsync(default);

        // Another process writes the run's lines to the ledger and publishes nothing here.
        await PersistAsync(runId, 1, 3);

        await WaitUntilAsync(() => { feed.Apply(); return feed.Lines.Count >= 3; });
        Assert.Equal([1, 2, 3], feed.Lines.Select(l => l.Seq));
    }

    [Fact]
    public async Task Start_MoreLinesThanCapacity_KeepsTheLastAndPagesOlderOnDemand()
    {
        var runId = await CreateRunAsync();
        await PersistAsync(runId, 1, 25);
        await using var feed = new RunLogFeed(_ctx.Services.GetRequiredService<RunFollower>(), _ctx.Services.GetRequiredService<RunReader>(), runId, () => Task.CompletedTask, capacity: 10);

        await feed.StartAsync(default);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), feed.Lines.Select(l => l.Seq));
        Assert.True(feed.HasOlder);

        Assert.Equal(15, await feed.LoadOlderAsync(default));
        Assert.Equal(1, feed.Lines[0].Seq);
        Assert.False(feed.HasOlder);
        Assert.True(feed.IsContiguous);
    }

    [Fact]
    public async Task Apply_LiveBeyondCapacity_DropsOldestAndStaysBounded()
    {
        var runId = await CreateRunAsync();
        var events = _ctx.Services.GetRequiredService<RunEvents>();
        await using var feed = new RunLogFeed(_ctx.Services.GetRequiredService<RunFollower>(), _ctx.Services.GetRequiredService<RunReader>(), runId, () => Task.CompletedTask, capacity: 10);
        await feed.StartAsync(default);

        for (var seq = 1; seq <= 30; seq++)
        {
            events.Publish(Event(runId, seq));
        }

        await WaitUntilAsync(() => { feed.Apply(); return feed.Lines.Count > 0 && feed.Lines[^1].Seq == 30; });
        Assert.Equal(Enumerable.Range(21, 10).Select(i => (long)i), feed.Lines.Select(l => l.Seq));
        Assert.True(feed.HasOlder);
    }

    private static RunLogEvent Event(long runId, long seq) => new(runId, seq, "connect-hosts", null, LogStream.Stdout, $"line {seq}", DateTimeOffset.UtcNow);

    private async Task<long> CreateRunAsync()
    {
        var hosts = await _ctx.AddHostsAsync("cp1", "lb1");
        var created = await _ctx.Services.GetRequiredService<ClusterCatalog>().CreateAsync(new ClusterDraft("prod", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
            [new HostRoles(hosts[0], new HashSet<NodeRole> { NodeRole.ControlPlane }), new HostRoles(hosts[1], new HashSet<NodeRole> { NodeRole.LoadBalancer })]), default);
        var plan = _ctx.Services.GetRequiredService<IPlanCatalog>().Get(PlanCatalog.Create);
        return (await _ctx.Services.GetRequiredService<RunLedger>().CreateRunAsync(created.ClusterId!.Value, plan, null, null, default)).Id;
    }

    private async Task PersistAsync(long runId, int from, int to)
    {
        await using var db = await _ctx.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>().CreateDbContextAsync();
        for (var seq = from; seq <= to; seq++)
        {
            db.LogLines.Add(new LogLine { RunId = runId, Seq = seq, StepKey = "connect-hosts", Stream = LogStream.Stdout, Text = $"line {seq}", Time = DateTimeOffset.UtcNow });
        }

        await db.SaveChangesAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met before the deadline.");
            await Task.Delay(20);
        }
    }
}
