using KubeHa.Core.Agents;
using KubeHa.Agent.Relay;
using KubeHa.Core.Runs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Tests.Hubs;

/// <summary>
/// The standalone agent's relay against the real Web hub (in-memory TestServer): events published in the agent
/// process's own <see cref="RunEvents"/> reach subscribers in Web, in order.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunEventRelayTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Relay_EventsPublishedInAgentProcess_ArriveAtWebSubscriberInOrder()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var agentEvents = new RunEvents(); // the agent process's own feed, not Web's
        using var relay = Relay(agentEvents, HubFixture.AgentKey);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var webFeed = fixture.App.Services.GetRequiredService<RunEvents>().SubscribeAsync(runId, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = webFeed.MoveNextAsync(); // subscribed from here on
        await relay.StartAsync(cts.Token);

        for (long seq = 1; seq <= 1_200; seq++)
        {
            agentEvents.Publish(HubTestData.Line(runId, seq));
        }

        agentEvents.Publish(new RunStatusEvent(runId, RunStatus.Succeeded, null));

        var received = new List<RunEvent>();
        for (var more = await first; more; more = await webFeed.MoveNextAsync())
        {
            received.Add(webFeed.Current);
            if (webFeed.Current is RunStatusEvent)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(1, 1_200).Select(i => (long)i), received.OfType<RunLogEvent>().Select(l => l.Seq));
        Assert.Equal(RunStatus.Succeeded, Assert.IsType<RunStatusEvent>(received[^1]).Status);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (relay.Sent < 1_201)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The relay counted {relay.Sent} events as sent.");
            await Task.Delay(20); // the last call returns to the relay just after Web published its events
        }

        Assert.Equal(0, relay.NotRelayed);
        await relay.StopAsync(CancellationToken.None);
        await webFeed.DisposeAsync();
    }

    [Fact]
    public async Task Relay_BatchRefusedByWeb_SkippedAndLaterBatchesStillArrive()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var agentEvents = new RunEvents();
        using var relay = Relay(agentEvents, HubFixture.AgentKey);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var webFeed = fixture.App.Services.GetRequiredService<RunEvents>().SubscribeAsync(runId, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = webFeed.MoveNextAsync();
        await relay.StartAsync(cts.Token);

        agentEvents.Publish(HubTestData.Line(987_656, 1)); // a run Web does not know: the batch is refused
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (relay.NotRelayed == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The refused batch was never reported.");
            await Task.Delay(20);
        }

        agentEvents.Publish(HubTestData.Line(runId, 1));

        Assert.True(await first);
        Assert.Equal(1, Assert.IsType<RunLogEvent>(webFeed.Current).Seq);
        Assert.Equal(1, relay.NotRelayed);
        await relay.StopAsync(CancellationToken.None);
        await webFeed.DisposeAsync();
    }

    [Fact]
    public async Task Relay_WrongKey_RefusedAndKeyNeverLogged()
    {
        var (_, runId) = await HubTestData.CreateClusterWithRunAsync(fixture.App);
        var agentEvents = new RunEvents();
        const string wrongKey = "not-the-agent-key-but-long-enough-0123456789";
        using var relay = Relay(agentEvents, wrongKey);
        using var cts = new CancellationTokenSource();
        var webFeed = fixture.App.Services.GetRequiredService<RunEvents>().SubscribeAsync(runId, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = webFeed.MoveNextAsync().AsTask();
        await relay.StartAsync(CancellationToken.None);
        agentEvents.Publish(HubTestData.Line(runId, 1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!fixture.App.LogMessages.Any(m => m.Contains("Cannot reach Web", StringComparison.Ordinal) && m.Contains("401", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The relay never reported the refused connection.");
            await Task.Delay(20);
        }

        await relay.StopAsync(CancellationToken.None);
        Assert.False(first.IsCompleted); // nothing reached Web
        Assert.Equal(0, relay.Sent);
        Assert.DoesNotContain(fixture.App.LogMessages, m => m.Contains(wrongKey, StringComparison.Ordinal) || m.Contains(HubFixture.AgentKey, StringComparison.Ordinal));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await webFeed.DisposeAsync();
    }

    private RunEventRelay Relay(RunEvents agentEvents, string key) => new(
        agentEvents,
        Options.Create(new RelayOptions
        {
            WebUrl = fixture.App.Server.BaseAddress,
            ConfigureConnection = o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => fixture.App.Server.CreateHandler();
            },
        }),
        Options.Create(new AgentsOptions { Token = key }),
        fixture.App.Services.GetRequiredService<ILogger<RunEventRelay>>()); // into the app's captured log
}
