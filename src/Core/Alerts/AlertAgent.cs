namespace KubeHa.Core.Alerts;

/// <summary>The agent an alert is about, as it last reported itself.</summary>
public sealed record AlertAgent(string Name, string Machine, IReadOnlyList<string> Zones, DateTimeOffset LastHeartbeatAt);
