namespace KubeHa.Core.Alerts;

public enum AlertChannelKind
{
    /// <summary>An HTTP(S) POST of JSON (KubeHa's payload or a Slack-compatible one).</summary>
    Webhook = 0,

    /// <summary>An e-mail through an SMTP server.</summary>
    Email = 1,
}
