using System.Collections.Concurrent;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Clusters.Health;

/// <summary>
/// Reads HAProxy stats, the VIP and etcd over SSH, keeping one connection per host for as long as the probe lives (a
/// dashboard polls every couple of seconds; reconnecting each time would cost a handshake and a sudo check per poll).
/// A connection that fails is dropped and opened again on the next read. One probe per cluster session, shared by
/// everyone watching that cluster.
/// </summary>
/// <param name="readTimeout">
/// A read (connect included) that has not answered by then is given up and its connection dropped: a host whose network
/// was cut shows as an error within seconds instead of freezing its last known state. Default 10 s.
/// </param>
public sealed class ClusterHostProbe(IHostShellFactory shells, TimeProvider time, string statsSocket = HaproxyConfigRenderer.StatsSocket, TimeSpan? readTimeout = null) : IAsyncDisposable
{
    private const string IpMarker = "@@kubeha-ip";
    private const string HealthMarker = "@@kubeha-etcd-health";
    private readonly TimeSpan _readTimeout = readTimeout ?? TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<int, IHostShell> _open = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _connecting = new();

    /// <summary>One round trip: <c>show stat</c> from the stats socket and, when <paramref name="virtualIp"/> is set, <c>ip -o addr show</c>.</summary>
    public async Task<LoadBalancerHealth> ReadLoadBalancerAsync(ClusterMember host, string? virtualIp, CancellationToken cancellationToken)
    {
        var script = virtualIp is null
            ? HaproxyStatCsv.ShowStat(statsSocket)
            : $"{HaproxyStatCsv.ShowStat(statsSocket)}\necho {IpMarker}\nip -o addr show";
        var (result, error) = await RunAsync(host, script, cancellationToken);
        if (result is null)
        {
            return new LoadBalancerHealth(host.HostId, host.Name, host.Address, [], null, error);
        }

        var at = result.Output.IndexOf(IpMarker, StringComparison.Ordinal);
        var stats = at < 0 ? result.Output : result.Output[..at];
        bool? holdsVip = virtualIp is null || at < 0 ? null : VipHolder.Holds(result.Output[(at + IpMarker.Length)..], virtualIp);
        var servers = HaproxyStatCsv.Parse(stats)
            .OrderBy(s => s.Backend == HaproxyConfigRenderer.ApiBackend ? 0 : 1).ThenBy(s => s.Backend, StringComparer.Ordinal)
            .ToList();
        var problem = stats.Contains("# pxname", StringComparison.Ordinal)
            ? null
            : $"HAProxy's stats socket {statsSocket} did not answer{Tail(result.ErrorTail)}";
        return new LoadBalancerHealth(host.HostId, host.Name, host.Address, servers, holdsVip, problem, time.GetUtcNow());
    }

    /// <summary>
    /// <c>etcdctl member list</c> and <c>endpoint health --cluster</c>, on the first control plane (stacked) or etcd host
    /// (external) that answers, with the certificates kubeadm issued; etcdctl from the host, or else from the etcd
    /// container (as the verify step does).
    /// </summary>
    public async Task<EtcdHealth> ReadEtcdAsync(ClusterSpec spec, IReadOnlyList<ClusterMember> members, CancellationToken cancellationToken)
    {
        var external = spec.EtcdTopology == EtcdTopology.External;
        var hosts = members.Where(m => m.Is(external ? NodeRole.Etcd : NodeRole.ControlPlane)).ToList();
        string? lastError = null;
        foreach (var host in hosts)
        {
            var (result, error) = await RunAsync(host, EtcdScript(spec, host), cancellationToken);
            if (result is null || !result.Succeeded)
            {
                lastError = $"{host.Name}: {error ?? $"etcdctl member list exited {result!.ExitCode}{Tail(result.ErrorTail)}"}";
                continue;
            }

            var at = result.Output.IndexOf(HealthMarker, StringComparison.Ordinal);
            var list = at < 0 ? result.Output : result.Output[..at];
            var health = at < 0 ? string.Empty : result.Output[(at + HealthMarker.Length)..];
            var parsed = EtcdctlOutput.ParseMembers(list, health);
            return new EtcdHealth(host.Name, parsed, parsed.Count == 0 ? $"{host.Name}: etcdctl listed no members" : null);
        }

        return new EtcdHealth(null, [], lastError ?? (external ? "The cluster has no etcd host." : "The cluster has no control plane."));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _connecting.Values)
        {
            await gate.WaitAsync(CancellationToken.None);
        }

        foreach (var shell in _open.Values)
        {
            shell.Dispose();
        }

        _open.Clear();
    }

    /// <summary><c>member list</c>, then <c>endpoint health --cluster</c> after a marker line (see <see cref="Etcdctl"/>).</summary>
    private static ShellScript EtcdScript(ClusterSpec spec, ClusterMember host)
    {
        if (!NodeNames.TryFor(host.Facts, host.Name, out var node, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return $"""
            {Etcdctl.On(spec, host.Address, node)}
            {Etcdctl.Command} member list || exit $?
            echo {HealthMarker}
            {Etcdctl.Command} endpoint health --cluster 2>&1
            true
            """;
    }

    private async Task<(RemoteCommandResult? Result, string? Error)> RunAsync(ClusterMember host, ShellScript script, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var read = ReadAsync(host, script, attempt.Token);
            return (await read.WaitAsync(_readTimeout, time, cancellationToken), null);
        }
        catch (TimeoutException) when (!cancellationToken.IsCancellationRequested)
        {
            await attempt.CancelAsync();
            Drop(host.HostId);
            return (null, $"No answer within {_readTimeout.TotalSeconds:0.#} s (host down or network cut?)");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Drop(host.HostId);
            return (null, ex is HostCheckException ? ex.Message : $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
        }
    }

    private async Task<RemoteCommandResult> ReadAsync(ClusterMember host, ShellScript script, CancellationToken cancellationToken)
    {
        var shell = await ShellAsync(host, cancellationToken);
        return await shell.RunAsRootAsync(script, null, null, cancellationToken);
    }

    private async Task<IHostShell> ShellAsync(ClusterMember host, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(host.HostId, out var shell))
        {
            return shell;
        }

        var gate = _connecting.GetOrAdd(host.HostId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!_open.TryGetValue(host.HostId, out shell))
            {
                shell = await shells.OpenAsync(host, cancellationToken);
                _open[host.HostId] = shell;
            }

            return shell;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Drop(int hostId)
    {
        if (_open.TryRemove(hostId, out var shell))
        {
            shell.Dispose();
        }
    }

    private static string Tail(string errorTail) =>
        string.IsNullOrWhiteSpace(errorTail) ? "." : ": " + errorTail.Trim().Split('\n')[^1].Trim();
}
