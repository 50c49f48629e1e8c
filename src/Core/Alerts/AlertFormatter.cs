using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeHa.Core.Alerts;

/// <summary>
/// What receivers get: KubeHa's JSON payload, a Slack-compatible message, an e-mail's subject and text. All three are
/// built from the same facts, so every channel says the same thing.
/// </summary>
public static class AlertFormatter
{
    private const int SlackTextLimit = 2900;

    /// <summary>The page of the panel the alert is about, when <paramref name="panelUrl"/> is configured.</summary>
    public static string? Link(AlertEvent alert, string? panelUrl)
    {
        if (string.IsNullOrEmpty(panelUrl))
        {
            return null;
        }

        var path = alert switch
        {
            { Run: { } run } => $"/runs/{run.Id}",
            { Cluster: { } cluster } => $"/clusters/{cluster.Id}",
            { Agent: not null } => "/agents",
            _ => "/admin/alerts",
        };
        return panelUrl.TrimEnd('/') + path;
    }

    /// <summary>The alert as JSON (<see cref="AlertEvent"/>'s fields, plus <c>url</c> when there is a link).</summary>
    public static string Json(AlertEvent alert, string? link)
    {
        var node = JsonSerializer.SerializeToNode(alert, AlertJson.Options)!.AsObject();
        if (link is not null)
        {
            node["url"] = link;
        }

        return node.ToJsonString(AlertJson.Options);
    }

    /// <summary>Labelled facts, in reading order (the e-mail body and the chat message's fields).</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(AlertEvent alert)
    {
        var facts = new List<(string, string)>
        {
            ("Event", $"{AlertEventKinds.Name(alert.Event)} ({alert.Severity.ToString().ToLowerInvariant()})"),
            ("When", Time(alert.OccurredAt)),
        };
        if (alert.Cluster is { } cluster)
        {
            facts.Add(("Cluster", $"{cluster.Name} (#{cluster.Id})"));
        }

        if (alert.Run is { } run)
        {
            facts.Add(("Run", $"#{run.Id}, plan {run.Plan}, attempt {run.Attempt}, {run.Status.ToString().ToLowerInvariant()}" + (run.StartedBy is { } by ? $", started by {by}" : "")));
            if (run.FailedStep is { } step)
            {
                facts.Add(("Failed step", step));
            }

            if (run.Error is { } error)
            {
                facts.Add(("Error", error));
            }
        }

        if (alert.Agent is { } agent)
        {
            facts.Add(("Agent", $"{agent.Name} on {agent.Machine}" + (agent.Zones.Count > 0 ? $", zones {string.Join(", ", agent.Zones)}" : "")));
            facts.Add(("Last heartbeat", Time(agent.LastHeartbeatAt)));
        }

        if (alert.Certificate is { } certificate)
        {
            facts.Add(("Certificate", $"{certificate.Name} on {certificate.Host}" + (certificate.Authority is { } ca ? $", signed by {ca}" : "")));
            facts.Add(("Expires", $"{Time(certificate.ExpiresAt)} ({certificate.ResidualDays} day(s) left; threshold {certificate.ThresholdDays} days)"));
        }

        if (alert.Backup is { } backup)
        {
            facts.Add(("Backup", (backup.Id is { } id ? $"#{id}" : "none recorded") + (backup.CreatedAt is { } at ? $", taken {Time(at)}" : "")));
            facts.Add(("Last proven", backup.LastProvenAt is { } proven ? Time(proven) : "never"));
            if (backup.Error is { } error)
            {
                facts.Add(("Error", error));
            }
        }

        return facts;
    }

    /// <summary>A Slack incoming-webhook message: <c>text</c> (notifications, clients without blocks) and blocks.</summary>
    public static string Slack(AlertEvent alert, string? link)
    {
        var icon = alert.Severity switch
        {
            AlertSeverity.Critical => ":rotating_light:",
            AlertSeverity.Warning => ":warning:",
            _ => alert.Event == AlertEventKind.Test ? ":bell:" : ":white_check_mark:",
        };
        var headline = $"{icon} *{SlackEscape(alert.Summary)}*" + (link is null ? "" : $"\n<{link}|Open in KubeHa>");
        var details = new StringBuilder();
        foreach (var (label, value) in Facts(alert).Skip(2))
        {
            details.Append('*').Append(label).Append(":* ").Append(SlackEscape(value)).Append('\n');
        }

        foreach (var reason in alert.Reasons ?? [])
        {
            details.Append("• ").Append(SlackEscape(reason)).Append('\n');
        }

        var blocks = new JsonArray { Section(headline) };
        if (details.Length > 0)
        {
            blocks.Add(Section(details.ToString().TrimEnd()));
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = $"KubeHa · {AlertEventKinds.Name(alert.Event)} · {Time(alert.OccurredAt)}" } },
        });
        var message = new JsonObject { ["text"] = $"{icon} {SlackEscape(alert.Summary)}", ["blocks"] = blocks };
        return message.ToJsonString();
    }

    /// <summary>The e-mail's subject (one line) and plain-text body.</summary>
    public static (string Subject, string Body) Email(AlertEvent alert, string? link)
    {
        var subject = "[KubeHa] " + OneLine(alert.Summary);
        if (subject.Length > 200)
        {
            subject = subject[..199] + "…";
        }

        var facts = Facts(alert);
        var width = facts.Max(f => f.Label.Length) + 2;
        var body = new StringBuilder().Append(alert.Summary).Append("\n\n");
        foreach (var (label, value) in facts)
        {
            body.Append((label + ":").PadRight(width)).Append(value).Append('\n');
        }

        if (alert.Reasons is { Count: > 0 } reasons)
        {
            body.Append("Reasons:\n");
            foreach (var reason in reasons)
            {
                body.Append("  - ").Append(reason).Append('\n');
            }
        }

        if (link is not null)
        {
            body.Append("Open:".PadRight(width)).Append(link).Append('\n');
        }

        body.Append("\nEvent id ").Append(alert.Id.ToString("D")).Append(". Sent by KubeHa; channels are configured under Admin > Alerts.\n");
        return (subject, body.ToString());
    }

    private static JsonObject Section(string text) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text.Length > SlackTextLimit ? text[..SlackTextLimit] + "…" : text },
    };

    /// <summary>Slack's mrkdwn control characters (&amp;, &lt;, &gt;) escaped, as its documentation requires.</summary>
    public static string SlackEscape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
