using KubeHa.Core.Runs;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KubeHa.Web.Hubs;

/// <summary>
/// <c>/hubs/agents</c>: standalone agents publish their runs' events here. Only the agent key connects (users are
/// refused at negotiate, before any message is read), so only agents get the large message limit
/// (<see cref="MaxMessageBytes"/>); the users' hub <see cref="KubeHaHub"/> keeps SignalR's 32 KB default.
/// </summary>
[Authorize(Policy = KubeHaPolicies.Agent)]
public sealed partial class AgentHub(RunEvents events, RunReader reader, ILogger<AgentHub> logger) : Hub
{
    public const string Route = "/hubs/agents";

    /// <summary>Most events in one <see cref="PublishRunEvents"/> call.</summary>
    public const int MaxBatch = 1_000;

    /// <summary>Longest line text accepted from an agent.</summary>
    public const int MaxTextLength = 64 * 1024;

    /// <summary>Largest message an agent may send (a batch; relays keep batches to a few MB of text).</summary>
    public const long MaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>
    /// A standalone agent's runs' events, published into this process's live feed so pages and hub streams see them.
    /// The whole batch is refused (HubException) when it is too large, an event is malformed or a run is unknown.
    /// </summary>
    [Authorize(Policy = KubeHaPolicies.Agent)]
    public async Task PublishRunEvents(RunEventDto[] batch)
    {
        if (batch is null || batch.Length == 0)
        {
            return;
        }

        if (batch.Length > MaxBatch)
        {
            throw new HubException($"A batch holds at most {MaxBatch} events; this one has {batch.Length}.");
        }

        var parsed = new RunEvent[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var dto = batch[i];
            if (dto is null)
            {
                throw new HubException($"Event {i} is empty.");
            }

            if (dto.Text is { Length: > MaxTextLength })
            {
                throw new HubException($"Event {i}: the text is longer than {MaxTextLength} characters.");
            }

            parsed[i] = dto.ToRunEvent(out var problem) ?? throw new HubException($"Event {i} of run {dto.RunId}: {problem}.");
        }

        var runIds = parsed.Select(e => e.RunId).Distinct().ToList();
        var known = await reader.ExistingAsync(runIds, Context.ConnectionAborted);
        var unknown = runIds.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new HubException($"Run {unknown[0]} does not exist.");
        }

        foreach (var e in parsed)
        {
            events.Publish(e);
        }

        LogPublished(parsed.Length, runIds.Count);
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "An agent published {Count} run events of {Runs} run(s)")]
    private partial void LogPublished(int count, int runs);
}
