namespace KubeHa.Core.Alerts;

/// <summary>The cluster an alert is about.</summary>
public sealed record AlertCluster(int Id, string Name);
