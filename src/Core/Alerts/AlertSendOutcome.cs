namespace KubeHa.Core.Alerts;

public enum AlertSendOutcome
{
    Delivered = 0,

    /// <summary>Worth retrying: no connection, a timeout, a 5xx/429 answer, an SMTP 4xx reply.</summary>
    Transient = 1,

    /// <summary>Retrying cannot help until an administrator changes something: a 4xx answer, an SMTP 5xx reply, credentials refused.</summary>
    Refused = 2,
}
