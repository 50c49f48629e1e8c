using KubeHa.Core.Agents;
using KubeHa.Core.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent.Relay;

/// <summary>
/// In a standalone agent: sends every run event published in this process to Web's hub (<c>PublishRunEvents</c>), so
/// browsers watching a run see its lines as they arrive. Batches of up to <see cref="RelayOptions.BatchSize"/> events,
/// sent <see cref="RelayOptions.BatchDelay"/> after the first one; one hub connection, reconnected automatically.
/// <para>
/// Never slows a run: the feed is a bounded channel (<see cref="RunEvents.AllSubscriberCapacity"/>) that the run never
/// waits on; while Web is unreachable events queue there, and beyond the bound they are counted and logged as not
/// relayed. A batch Web refuses is logged and skipped. Nothing is lost for viewers: every line is in the ledger, and
/// Web's streams fill any gap from it.
/// </para>
/// </summary>
public sealed partial class RunEventRelay(RunEvents events, IOptions<RelayOptions> relay, IOptions<AgentsOptions> agents, ILogger<RunEventRelay> logger) : BackgroundService
{
    public const string MethodName = "PublishRunEvents";
    public const string HubPath = "hubs/agents"; // Web's AgentHub, the only hub with a message limit for batches
    private static readonly TimeSpan ReconnectWait = TimeSpan.FromMilliseconds(200);

    /// <summary>A batch stops growing at this much line text, so a message stays well under Web's 16 MB limit.</summary>
    public const int MaxBatchTextChars = 2_000_000;

    private long _sent;
    private RunEventsSubscription? _feed;

    /// <summary>Events sent and accepted by Web so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Events not relayed: the feed was full, or Web refused or did not take their batch.</summary>
    public long NotRelayed { get; private set; }

    public static bool IsConfigured(RelayOptions relay, AgentsOptions agents) => relay.WebUrl is not null && !string.IsNullOrEmpty(agents.Token);

    /// <summary>Subscribes before returning (events from here on are relayed), then connects in the background.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsConfigured(relay.Value, agents.Value))
        {
            // Before connecting: events of the first seconds wait in the channel instead of being missed.
            _feed = events.SubscribeAll();
        }
        else if (relay.Value.WebUrl is { } webUrl)
        {
            LogNoKey(webUrl);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _feed?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = relay.Value;
        if (_feed is not { } feed)
        {
            return;
        }

        await using var connection = Build(options);
        connection.Reconnecting += error =>
        {
            LogReconnecting(options.WebUrl!, error?.Message);
            return Task.CompletedTask;
        };
        connection.Reconnected += _ =>
        {
            LogConnected(options.WebUrl!);
            return Task.CompletedTask;
        };

        var batch = new List<RunEventDto>(options.BatchSize);
        long droppedReported = 0;
        try
        {
            await EnsureConnectedAsync(connection, options, stoppingToken);
            while (await feed.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                Fill(feed, batch, options.BatchSize);
                if (batch.Count < options.BatchSize && feed.Reader.Count == 0)
                {
                    await Task.Delay(options.BatchDelay, stoppingToken);
                    Fill(feed, batch, options.BatchSize);
                }

                await EnsureConnectedAsync(connection, options, stoppingToken);
                await SendAsync(connection, batch, stoppingToken);

                var dropped = feed.Dropped;
                if (dropped > droppedReported)
                {
                    NotRelayed += dropped - droppedReported;
                    LogDropped(dropped - droppedReported, dropped);
                    droppedReported = dropped;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            feed.Dispose(); // stop queueing: nothing reads the channel any more
        }
    }

    private static void Fill(RunEventsSubscription feed, List<RunEventDto> batch, int size)
    {
        var chars = batch.Sum(e => e.Text?.Length ?? 0);
        while (batch.Count < size && chars < MaxBatchTextChars && feed.Reader.TryRead(out var e))
        {
            var dto = RunEventDto.From(e);
            chars += dto.Text?.Length ?? 0;
            batch.Add(dto);
        }
    }

    private async Task SendAsync(HubConnection connection, List<RunEventDto> batch, CancellationToken cancellationToken)
    {
        try
        {
            await connection.InvokeAsync(MethodName, batch.ToArray(), cancellationToken);
            Interlocked.Add(ref _sent, batch.Count);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Refused (HubException), or the connection dropped during the call (the client cancels the invocation):
            // either way skip the batch; an escaping exception would stop the agent's host.
            NotRelayed += batch.Count;
            LogBatchNotRelayed(batch.Count, ex.Message);
        }
    }

    private HubConnection Build(RelayOptions options)
    {
        var token = agents.Value.Token;
        var web = options.WebUrl!.AbsoluteUri.EndsWith('/') ? options.WebUrl : new Uri(options.WebUrl.AbsoluteUri + "/");
        return new HubConnectionBuilder()
            .WithUrl(new Uri(web, HubPath), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult(token);
                options.ConfigureConnection?.Invoke(o);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(
                new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)))
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .Build();
    }

    /// <summary>Returns once connected: starts (with back-off) when closed, waits while the client reconnects.</summary>
    private async Task EnsureConnectedAsync(HubConnection connection, RelayOptions options, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (connection.State != HubConnectionState.Connected)
        {
            if (connection.State == HubConnectionState.Disconnected)
            {
                try
                {
                    await connection.StartAsync(cancellationToken);
                    LogConnected(options.WebUrl!);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    LogConnectFailed(options.WebUrl!, ex.Message);
                    await Task.Delay(ForeverRetryPolicy.Delay(failures), cancellationToken);
                }
            }
            else
            {
                await Task.Delay(ReconnectWait, cancellationToken); // the client is reconnecting on its own
            }
        }
    }

    /// <summary>Reconnects for as long as the agent runs: 0 s, then 1, 2, 4, 8 and every 10 s.</summary>
    private sealed class ForeverRetryPolicy : IRetryPolicy
    {
        public static TimeSpan Delay(long attempt) => attempt == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(10, Math.Pow(2, attempt - 1)));

        public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(retryContext.PreviousRetryCount);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KubeHa:Agent:WebUrl is {WebUrl} but KubeHa:Agents:Token is not set: live run events are not relayed (viewers still read them from the ledger)")]
    private partial void LogNoKey(Uri webUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relaying live run events to {WebUrl}")]
    private partial void LogConnected(Uri webUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach Web at {WebUrl} to relay run events ({Reason}); retrying")]
    private partial void LogConnectFailed(Uri webUrl, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to Web at {WebUrl} lost ({Reason}); reconnecting")]
    private partial void LogReconnecting(Uri webUrl, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} run events were not relayed ({Reason}); viewers read them from the ledger")]
    private partial void LogBatchNotRelayed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} run events were not queued for relaying because the queue was full ({Total} in all); viewers read them from the ledger")]
    private partial void LogDropped(long count, long total);
}
