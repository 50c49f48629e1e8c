namespace KubeHa.Core.Alerts;

/// <summary>How urgent an alert is: good news, something to look at, something about to break.</summary>
public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
