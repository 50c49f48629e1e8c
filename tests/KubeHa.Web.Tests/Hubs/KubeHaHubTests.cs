using System.Text.Json;
using KubeHa.Core.Runs;
using KubeHa.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Hubs;

/// <summary>/hubs/kubeha and /hubs/agents through a real SignalR client: run streams across the snapshot/live seam, agent publishing, health, message limits.</summary>
[Trait("Category", "Integration")]
public sealed class KubeHaHubTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private RunEvents WebEvents => fixture.App.Services.GetRequiredService<RunEvents>();

    [Fact]
    public async Task StreamRun_LinesPublishedWhileStreamStarts_SnapshotThenLiveInSeqOrderWithoutDuplicates()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await HubTestData.PersistLinesAsync(fixture.App, runId, 1, 50);
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await viewer.StartAsync();

        // A writer at work while the stream starts: each line published at once and persisted in batches afterwards,
        // and a few already-persisted lines published again (a subscriber must not repeat them).
        var writer = Task.Run(async () =>
        {
            for (long seq = 51; seq <= 300; seq++)
            {
                WebEvents.Publish(HubTestData.Line(runId, seq));
                if (seq % 25 == 0)
                {
                    WebEvents.Publish(HubTestData.Line(runId, seq - 30));
                    await HubTestData.PersistLinesAsync(fixture.App, runId, seq - 24, seq);
                }
            }
        });
        var items = await HubTestClient.ReadUntilAsync(
            viewer.StreamAsync<RunEventDto>(nameof(KubeHaHub.StreamRun), runId, 0L),
            got => got.Any(i => i.Seq == 300));
        await writer;

        Assert.Equal(RunEventDto.SnapshotKind, items[0].Kind);
        Assert.Equal(runId, items[0].Snapshot!.Run.Id);
        var lines = items.Where(i => i.Kind == RunEventDto.LineKind).ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), lines.Select(l => l.Seq!.Value));
        Assert.All(lines, l => Assert.Equal($"line {l.Seq}", l.Text));
    }

    [Fact]
    public async Task StreamRun_AfterSeq_StartsAfterIt()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await HubTestData.PersistLinesAsync(fixture.App, runId, 1, 40);
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await viewer.StartAsync();

        var items = await HubTestClient.ReadUntilAsync(
            viewer.StreamAsync<RunEventDto>(nameof(KubeHaHub.StreamRun), runId, 30L), got => got.Any(i => i.Seq == 40));

        Assert.Equal(Enumerable.Range(31, 10).Select(i => (long)i), items.Where(i => i.Kind == RunEventDto.LineKind).Select(l => l.Seq!.Value));
    }

    [Fact]
    public async Task StreamRun_RunFinishes_StreamCompletesWithTheFinalStatus()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await viewer.StartAsync();
        var stream = viewer.StreamAsync<RunEventDto>(nameof(KubeHaHub.StreamRun), runId, 0L);
        var reading = HubTestClient.ReadUntilAsync(stream, _ => false);

        // Publish until the stream has subscribed and seen it (a status published before the subscription is not replayed).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!reading.IsCompleted && DateTime.UtcNow < deadline)
        {
            WebEvents.Publish(new RunStatusEvent(runId, RunStatus.Failed, "boom"));
            await Task.WhenAny(reading, Task.Delay(50));
        }

        var items = await reading;
        var last = items[^1];
        Assert.Equal(RunEventDto.RunKind, last.Kind);
        Assert.Equal(RunStatus.Failed, last.RunStatus);
    }

    [Fact]
    public async Task StreamRun_UnknownRun_HubExceptionSaysSo()
    {
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await viewer.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => HubTestClient.ReadUntilAsync(
            viewer.StreamAsync<RunEventDto>(nameof(KubeHaHub.StreamRun), 987654L, 0L), _ => true));
        Assert.Contains("Run 987654 does not exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishRunEvents_AgentBatch_ReachesViewersStreamAsCamelCaseKebabJson()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await using var agent = HubTestClient.Build(fixture.App, bearer: HubFixture.AgentKey, route: AgentHub.Route);
        await viewer.StartAsync();
        await agent.StartAsync();

        await using var items = viewer.StreamAsync<JsonElement>(nameof(KubeHaHub.StreamRun), runId, 0L).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("snapshot", items.Current.GetProperty("kind").GetString()); // the stream is live from here on

        var batch = new[]
        {
            RunEventDto.From(new RunStatusEvent(runId, RunStatus.Running, null)),
            RunEventDto.From(new RunLogEvent(runId, 1, "connect-hosts", null, LogStream.Stderr, "from the agent", DateTimeOffset.UtcNow)),
            RunEventDto.From(new HostStepStatusEvent(runId, "connect-hosts", 1, StepStatus.Succeeded, 1, 0, null)),
        };
        await agent.InvokeAsync(nameof(AgentHub.PublishRunEvents), batch);

        var received = new List<JsonElement>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (received.Count < 3 && await items.MoveNextAsync().AsTask().WaitAsync(cts.Token))
        {
            received.Add(items.Current.Clone());
        }

        Assert.Equal(["run", "line", "host-step"], received.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("running", received[0].GetProperty("runStatus").GetString());
        Assert.Equal("stderr", received[1].GetProperty("stream").GetString());
        Assert.Equal("from the agent", received[1].GetProperty("text").GetString());
        Assert.Equal(1, received[1].GetProperty("seq").GetInt64());
        Assert.Equal("succeeded", received[2].GetProperty("stepStatus").GetString());
    }

    [Fact]
    public async Task PublishRunEvents_AgentOverWebSockets_ReachesViewer()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await using var agent = HubTestClient.BuildWebSockets(fixture.App, HubFixture.AgentKey);
        await viewer.StartAsync();
        await agent.StartAsync();

        var stream = viewer.StreamAsync<RunEventDto>(nameof(KubeHaHub.StreamRun), runId, 0L);
        var reading = HubTestClient.ReadUntilAsync(stream, got => got.Any(i => i.Kind == RunEventDto.LineKind));
        // Publish until the viewer's stream (which has started once its snapshot arrived) sees the line.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!reading.IsCompleted && DateTime.UtcNow < deadline)
        {
            await agent.InvokeAsync(nameof(AgentHub.PublishRunEvents), new[] { RunEventDto.From(HubTestData.Line(runId, 1)) });
            await Task.WhenAny(reading, Task.Delay(100));
        }

        var line = Assert.Single(await reading, i => i.Kind == RunEventDto.LineKind);
        Assert.Equal("line 1", line.Text);
    }

    [Fact]
    public async Task PublishRunEvents_InvalidBatches_RefusedWithReason()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await using var agent = HubTestClient.Build(fixture.App, bearer: HubFixture.AgentKey, route: AgentHub.Route);
        await agent.StartAsync();

        var tooMany = Enumerable.Range(1, AgentHub.MaxBatch + 1).Select(i => RunEventDto.From(HubTestData.Line(runId, i))).ToArray();
        var unknownRun = new[] { RunEventDto.From(HubTestData.Line(987655, 1)) };
        var noText = new[] { RunEventDto.From(HubTestData.Line(runId, 1)) with { Text = null } };
        var unknownKind = new[] { RunEventDto.From(HubTestData.Line(runId, 1)) with { Kind = "gossip" } };

        Assert.Contains("at most 1000", (await Refused(tooMany)).Message, StringComparison.Ordinal);
        Assert.Contains("Run 987655 does not exist", (await Refused(unknownRun)).Message, StringComparison.Ordinal);
        Assert.Contains("text", (await Refused(noText)).Message, StringComparison.Ordinal);
        Assert.Contains("unknown kind", (await Refused(unknownKind)).Message, StringComparison.Ordinal);

        Task<HubException> Refused(RunEventDto[] batch) => Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync(nameof(AgentHub.PublishRunEvents), batch));
    }

    [Fact]
    public async Task UserHub_MessageOverSignalRDefault_ClosesConnectionBeforeAnyMethodRuns()
    {
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await viewer.StartAsync();

        // 64 KB: twice SignalR's 32 KB default, far under the 16 MB agents may send.
        var oversized = viewer.InvokeAsync<int>(nameof(KubeHaHub.StreamClusterHealth), new string('x', 64 * 1024));

        await Assert.ThrowsAnyAsync<Exception>(() => oversized);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, viewer.State);
    }

    [Fact]
    public async Task AgentHub_UserToken_RefusedAtNegotiate()
    {
        using var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.ViewerToken);

        using var response = await client.PostAsync($"{AgentHub.Route}/negotiate?negotiateVersion=1", null);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task StreamClusterHealth_Cluster_SnapshotWithLoadBalancersAndEtcd()
    {
        var (clusterId, _) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await viewer.StartAsync();

        var items = await HubTestClient.ReadUntilAsync(viewer.StreamAsync<JsonElement>(nameof(KubeHaHub.StreamClusterHealth), clusterId), _ => true);

        var health = items[0];
        Assert.Equal(clusterId, health.GetProperty("clusterId").GetInt32());
        var lb = Assert.Single(health.GetProperty("loadBalancers").EnumerateArray());
        Assert.EndsWith("-lb", lb.GetProperty("host").GetString(), StringComparison.Ordinal);
        Assert.True(health.TryGetProperty("etcd", out _));
        Assert.True(health.GetProperty("kubernetes").TryGetProperty("nodes", out _));
    }

    [Fact]
    public async Task StreamClusterHealth_UnknownCluster_HubExceptionSaysSo()
    {
        await using var viewer = HubTestClient.Build(fixture.App, bearer: fixture.ViewerToken);
        await viewer.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => HubTestClient.ReadUntilAsync(
            viewer.StreamAsync<JsonElement>(nameof(KubeHaHub.StreamClusterHealth), 424242), _ => true));
        Assert.Contains("Cluster 424242 does not exist.", error.Message, StringComparison.Ordinal);
    }
}
