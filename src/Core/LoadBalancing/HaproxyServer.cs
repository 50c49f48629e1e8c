namespace KubeHa.Core.LoadBalancing;

/// <summary>One backend server line: a name HAProxy shows in its stats, and where it is.</summary>
public sealed record HaproxyServer(string Name, string Address, int Port);
