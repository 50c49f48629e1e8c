namespace KubeHa.Core.Alerts;

public enum AlertDeliveryStatus
{
    /// <summary>Waiting for its first attempt or its next retry (<see cref="AlertDelivery.NextAttemptAt"/>).</summary>
    Pending = 0,

    Delivered = 1,

    /// <summary>Given up: refused by the receiver, or still failing after the last attempt.</summary>
    Failed = 2,

    /// <summary>Not sent: its channel was disabled first.</summary>
    Cancelled = 3,
}
