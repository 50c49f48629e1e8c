namespace KubeHa.Core.Alerts;

/// <summary>The body a webhook channel posts.</summary>
public enum WebhookFormat
{
    /// <summary>KubeHa's alert payload (<see cref="AlertEvent"/> as JSON, plus <c>url</c>).</summary>
    Json = 0,

    /// <summary><c>{"text": ..., "blocks": [...]}</c>: Slack incoming webhooks, and the chat tools that accept them (Mattermost, Rocket.Chat).</summary>
    Slack = 1,
}
