using KubeHa.Core.Runs;

namespace KubeHa.Core.Tests.Runs;

public sealed class RunEventsTests
{
    [Fact]
    public void SubscribeAll_EventsOfEveryRun_ReadInPublicationOrder()
    {
        var events = new RunEvents();
        using var all = events.SubscribeAll();

        events.Publish(Line(1, 1));
        events.Publish(new RunStatusEvent(2, RunStatus.Running, null));
        events.Publish(Line(1, 2));

        Assert.Equal([Line(1, 1), new RunStatusEvent(2, RunStatus.Running, null), Line(1, 2)], Drain(all));
        Assert.Equal(0, all.Dropped);
    }

    [Fact]
    public void SubscribeAll_Full_PublisherNeverWaitsAndLaterEventsAreCountedAsDropped()
    {
        var events = new RunEvents();
        using var all = events.SubscribeAll(capacity: 3);

        for (var seq = 1; seq <= 5; seq++)
        {
            events.Publish(Line(7, seq));
        }

        // What was queued stays (in order, from the first); what did not fit is counted, not silently lost.
        Assert.Equal([1L, 2L, 3L], Drain(all).Cast<RunLogEvent>().Select(e => e.Seq));
        Assert.Equal(2, all.Dropped);
    }

    [Fact]
    public void SubscribeAll_Disposed_NoLongerQueues()
    {
        var events = new RunEvents();
        var all = events.SubscribeAll();
        all.Dispose();

        events.Publish(Line(1, 1));

        Assert.Empty(Drain(all));
        Assert.True(all.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void RunEventDto_EachKind_RoundTripsToTheSameEvent()
    {
        var time = DateTimeOffset.UnixEpoch;
        RunEvent[] originals =
        [
            new RunLogEvent(3, 9, "join-workers", 4, LogStream.Stderr, "text", time),
            new RunStatusEvent(3, RunStatus.Failed, "why"),
            new StepStatusEvent(3, 2, "join-workers", StepStatus.Running),
            new HostStepStatusEvent(3, "join-workers", 4, StepStatus.Failed, 2, 1, "exit 1"),
        ];

        foreach (var original in originals)
        {
            Assert.Equal(original, RunEventDto.From(original).ToRunEvent(out var problem));
            Assert.Null(problem);
        }
    }

    [Fact]
    public void RunEventDto_Incomplete_SaysWhatIsMissing()
    {
        var line = RunEventDto.From(Line(1, 1)) with { Seq = 0 };

        Assert.Null(line.ToRunEvent(out var problem));
        Assert.Contains("seq", problem, StringComparison.Ordinal);
    }

    private static RunLogEvent Line(long runId, long seq) => new(runId, seq, "connect-hosts", null, LogStream.Stdout, $"line {seq}", DateTimeOffset.UnixEpoch);

    private static List<RunEvent> Drain(RunEventsSubscription subscription)
    {
        var list = new List<RunEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            list.Add(e);
        }

        return list;
    }
}
