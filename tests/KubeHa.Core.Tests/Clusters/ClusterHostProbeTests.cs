using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Hosts;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Tests.Clusters;

/// <summary>The probe's connection handling with scripted shells: a hung host times out and is reconnected next time.</summary>
public sealed class ClusterHostProbeTests
{
    private static readonly ClusterMember Balancer = new(4, "lb1", "10.0.0.4", new HashSet<NodeRole> { NodeRole.LoadBalancer });

    [Fact]
    public async Task ReadLoadBalancerAsync_HostNeverAnswers_ErrorAfterTimeoutThenReconnects()
    {
        var shells = new ScriptedShells { Hang = true };
        await using var probe = new ClusterHostProbe(shells, TimeProvider.System, readTimeout: TimeSpan.FromMilliseconds(200));

        var hung = await probe.ReadLoadBalancerAsync(Balancer, null, CancellationToken.None);

        Assert.Contains("No answer within 0.2 s", hung.Error, StringComparison.Ordinal);
        Assert.True(shells.LastShell!.Disposed); // the stuck connection is dropped

        shells.Hang = false;
        var next = await probe.ReadLoadBalancerAsync(Balancer, null, CancellationToken.None);

        Assert.Equal(2, shells.Opened);
        Assert.Contains("did not answer", next.Error, StringComparison.Ordinal); // the scripted shell prints no stats
    }

    [Fact]
    public async Task ReadEtcdAsync_FirstControlPlaneUnreachable_AsksTheNext()
    {
        var shells = new ScriptedShells
        {
            Unreachable = { 1 },
            Output = "8e9e05c52164694d, started, cp2, https://10.0.0.2:2380, https://10.0.0.2:2379, false\n@@kubeha-etcd-health\nhttps://10.0.0.2:2379 is healthy: successfully committed proposal: took = 1ms\n",
        };
        await using var probe = new ClusterHostProbe(shells, TimeProvider.System);
        ClusterMember[] members =
        [
            new(1, "cp1", "10.0.0.1", new HashSet<NodeRole> { NodeRole.ControlPlane }),
            new(2, "cp2", "10.0.0.2", new HashSet<NodeRole> { NodeRole.ControlPlane }),
        ];

        var etcd = await probe.ReadEtcdAsync(new ClusterSpec(), members, CancellationToken.None);

        Assert.Null(etcd.Error);
        Assert.Equal("cp2", etcd.Host);
        Assert.True(Assert.Single(etcd.Members).Healthy);
    }

    [Fact]
    public async Task ReadEtcdAsync_EtcdContainerAndHostEtcdctl_AsksTheContainer()
    {
        // A control plane with a host etcdctl that cannot reach the member (as on the lab, where :2379 is no real etcd)
        // and an etcd container whose etcdctl answers: the dashboard asks the container, as the verify step does. The
        // probe's script runs in a real bash, with crictl and etcdctl as shell functions.
        const string stubs = """
            crictl() {
              while [[ $1 == --runtime-endpoint ]]; do shift 2; done
              case $1 in
                ps) echo 0123456789abc ;;
                exec) shift 2
                  if [[ " $* " == *" member list "* ]]; then echo "8e9e05c52164694d, started, cp1, https://10.0.0.1:2380, https://10.0.0.1:2379, false"
                  else echo "https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 1.2ms"; fi ;;
              esac
            }
            etcdctl() { echo 'context deadline exceeded' >&2; return 1; }

            """;
        var shells = new ScriptedShells { Run = script => BashAsync(stubs + script) };
        await using var probe = new ClusterHostProbe(shells, TimeProvider.System);

        var etcd = await probe.ReadEtcdAsync(new ClusterSpec(), [new(1, "cp1", "10.0.0.1", new HashSet<NodeRole> { NodeRole.ControlPlane })], CancellationToken.None);

        Assert.Null(etcd.Error);
        var member = Assert.Single(etcd.Members);
        Assert.Equal("cp1", member.Name);
        Assert.True(member.Healthy);
    }

    private static async Task<RemoteCommandResult> BashAsync(string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var bash = System.Diagnostics.Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return new RemoteCommandResult(bash.ExitCode, await output, await error);
    }

    private sealed class ScriptedShells : IHostShellFactory
    {
        public bool Hang { get; set; }

        public HashSet<int> Unreachable { get; } = [];

        public string Output { get; init; } = "";

        /// <summary>When set, scripts run in this bash (a real process) instead of answering <see cref="Output"/>.</summary>
        public Func<string, Task<RemoteCommandResult>>? Run { get; init; }

        public int Opened { get; private set; }

        public ScriptedShell? LastShell { get; private set; }

        public Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken)
        {
            if (Unreachable.Contains(host.HostId))
            {
                throw new HostCheckException(HostCheckErrorKind.Unreachable, $"{host.Address}:22", "root", $"{host.Address}:22 is unreachable.");
            }

            Opened++;
            LastShell = new ScriptedShell(this);
            return Task.FromResult<IHostShell>(LastShell);
        }
    }

    private sealed class ScriptedShell(ScriptedShells owner) : IHostShell
    {
        public bool Disposed { get; private set; }

        public bool IsDryRun => false;

        public async Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken)
        {
            if (owner.Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return owner.Run is { } run ? await run(script.Text) : new RemoteCommandResult(0, owner.Output, string.Empty);
        }

        public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken)
            => RunAsRootAsync(script, null, null, cancellationToken);

        public void AddKnownSecrets(IEnumerable<string> secrets)
        {
        }

        public string Mask(string text) => text;

        public void Dispose() => Disposed = true;
    }
}
