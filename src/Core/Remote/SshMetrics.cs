using System.Diagnostics.Metrics;

namespace KubeHa.Core.Remote;

/// <summary>
/// SSH counters (meter "KubeHa.Remote"): connections opened by <see cref="SshConnector"/>, successful or not. Read by
/// dotnet-counters, OpenTelemetry or a <see cref="MeterListener"/> (the benchmark harness counts them per run).
/// </summary>
public static class SshMetrics
{
    public const string MeterName = "KubeHa.Remote";
    public const string ConnectionsOpened = "kubeha.ssh.connections.opened";
    public const string ConnectionsFailed = "kubeha.ssh.connections.failed";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Opened = Meter.CreateCounter<long>(ConnectionsOpened, "{connection}", "SSH connections established (host key accepted, authenticated).");

    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>(ConnectionsFailed, "{connection}", "SSH connection attempts that failed (unreachable, refused, auth, host key).");
}
