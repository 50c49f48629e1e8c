using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>
/// Hosts that remember what kubeadm left on them, without a network: kubeadm init writes admin.conf and kubelet.conf,
/// join kubelet.conf, reset removes them; completion markers are files too; the provisioning state script is answered
/// from that. Not a dry run: the executor takes its real paths (facts parsed, markers gathered). A test can make one
/// command hang (a process killed mid-phase, from the executor's point of view), or break the connection mid-command.
/// Each factory (one per agent) keeps its own command log; the hosts' state is shared, as on real machines.
/// </summary>
internal sealed partial class KubeadmStateHosts
{
    private static readonly Lazy<string> CaPem = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return cert.ExportCertificatePem();
    });

    private readonly ConcurrentDictionary<int, HashSet<string>> _files = new();

    /// <summary>Decides, before the host acts, what a command does: null to act normally.</summary>
    public Func<ClusterMember, string, Interference?>? Interfere { get; set; }

    public enum Interference
    {
        /// <summary>The command does its first half (files written), then never returns: its process was killed.</summary>
        HangHalfDone,

        /// <summary>The command runs to its end on the host, then the SSH connection breaks before the answer arrives.</summary>
        BreakAfter,

        /// <summary>The command does its first half, then the SSH connection breaks.</summary>
        BreakHalfDone,
    }

    /// <summary>Released by the test to let a hung command return (its agent long since replaced).</summary>
    public ManualResetEventSlim Hung { get; } = new(false);

    /// <summary>Set when a command starts hanging.</summary>
    public ManualResetEventSlim Hanging { get; } = new(false);

    public bool Has(int hostId, string file) => Files(hostId).Contains(file);

    /// <summary>Puts a file on a host, as something outside the run left it there.</summary>
    public void AddFile(int hostId, string file)
    {
        var files = Files(hostId);
        lock (files)
        {
            files.Add(file);
        }
    }

    /// <summary>As on hosts provisioned before completion markers existed.</summary>
    public void RemoveMarkers()
    {
        foreach (var files in _files.Values)
        {
            lock (files)
            {
                files.RemoveWhere(f => f.StartsWith(StepMarkers.Root, StringComparison.Ordinal));
            }
        }
    }

    public Agent ForAgent() => new(this);

    private HashSet<string> Files(int hostId) => _files.GetOrAdd(hostId, _ => []);

    private RemoteCommandResult Answer(ClusterMember host, string script, Agent agent)
    {
        agent.Log.Enqueue((host.HostId, script));
        var interference = Interfere?.Invoke(host, script);
        var files = Files(host.HostId);
        lock (files)
        {
            if (script.Contains("::kubeha::%s", StringComparison.Ordinal))
            {
                return Ok(Facts(host));
            }

            if (script.Contains("swap_active=", StringComparison.Ordinal))
            {
                return Ok(State(files));
            }

            if (MarkerTest().Match(script) is { Success: true } test)
            {
                return new RemoteCommandResult(files.Contains(test.Groups[1].Value) && files.Contains(KubeadmPaths.KubeletConf) ? 0 : 1, string.Empty, string.Empty);
            }

            if (MarkerTouch().Match(script) is { Success: true } touch)
            {
                if (interference == Interference.BreakAfter)
                {
                    files.Add(touch.Groups[1].Value);
                    throw Broken(host);
                }

                files.Add(touch.Groups[1].Value);
            }

            if (MarkerRemove().IsMatch(script))
            {
                files.RemoveWhere(f => f.StartsWith(StepMarkers.Root, StringComparison.Ordinal));
            }

            if (script.Contains("kubeadm reset", StringComparison.Ordinal))
            {
                files.RemoveWhere(f => f.StartsWith("/etc/kubernetes/", StringComparison.Ordinal));
            }

            if (script.StartsWith("kubeadm init", StringComparison.Ordinal) || script.StartsWith("kubeadm join", StringComparison.Ordinal))
            {
                // Both write their kubeconfigs early (kubeconfig / kubelet-start phases), long before they end.
                files.Add("/etc/kubernetes/kubelet.conf");
                if (!script.StartsWith("kubeadm join", StringComparison.Ordinal) || host.Is(NodeRole.ControlPlane))
                {
                    files.Add(KubeadmPaths.AdminConf);
                }
            }
        }

        switch (interference)
        {
            case Interference.HangHalfDone:
                Hanging.Set();
                Hung.Wait();
                return Ok(string.Empty);
            case Interference.BreakHalfDone or Interference.BreakAfter:
                throw Broken(host);
        }

        return script switch
        {
            _ when script.StartsWith("cat ", StringComparison.Ordinal) && script.Contains(KubeadmPaths.CaCert, StringComparison.Ordinal) => Ok(CaPem.Value),
            _ when script.StartsWith("cat ", StringComparison.Ordinal) && script.Contains(KubeadmPaths.AdminConf, StringComparison.Ordinal) => Ok("apiVersion: v1\nkind: Config\n"),
            _ when script.StartsWith("cat ", StringComparison.Ordinal) => Ok("-----BEGIN DATA-----\n"),
            _ when script.Contains("base64 -w0", StringComparison.Ordinal) => Ok("ZHVtbXk="),
            _ => Ok(string.Empty),
        };
    }

    private static HostCheckException Broken(ClusterMember host) =>
        new(HostCheckErrorKind.Unreachable, $"{host.Address}:22", "root", $"The SSH connection to {host.Address}:22 broke while running a command (SshConnectionException).");

    private static RemoteCommandResult Ok(string output) => new(0, output, string.Empty);

    private static string Facts(ClusterMember host) => $"""

        ::kubeha::os-release
        ID=debian
        VERSION_ID="12"
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        ::kubeha::kernel
        6.1.0-18-amd64
        ::kubeha::arch
        x86_64
        ::kubeha::nproc
        2
        ::kubeha::meminfo
        MemTotal:        4096000 kB
        ::kubeha::swaps
        Filename				Type		Size		Used		Priority
        ::kubeha::net
        eth0 02:00:00:00:00:{host.HostId % 256:x2}
        ::kubeha::product-uuid
        {Guid.NewGuid()}
        ::kubeha::hostname
        {host.Name.ToLowerInvariant()}
        ::kubeha::cgroup-fs
        cgroup2fs
        ::kubeha::ss
        ::kubeha::end

        """;

    private static string State(HashSet<string> files) =>
        $"""
        swap_active=0
        swap_fstab=0
        modules=1
        sysctl=1
        containerd=1
        containerd_systemd=1
        admin_conf={(files.Contains(KubeadmPaths.AdminConf) ? 1 : 0)}
        kubelet_conf={(files.Contains("/etc/kubernetes/kubelet.conf") ? 1 : 0)}
        pkg=apt

        """ + string.Concat(files.Where(f => f.StartsWith(StepMarkers.Root, StringComparison.Ordinal))
            .Select(f => "done=" + f[(StepMarkers.Root.Length + 1)..^".done".Length] + "\n"));

    [GeneratedRegex(@"^test -e '?(/var/lib/kubeha/clusters/[0-9]+/[a-z-]+\.done)'? && test -e '?/etc/kubernetes/kubelet\.conf'?$")]
    private static partial Regex MarkerTest();

    [GeneratedRegex(@"touch '?(/var/lib/kubeha/clusters/[0-9]+/[a-z-]+\.done)'?")]
    private static partial Regex MarkerTouch();

    [GeneratedRegex(@"rm -rf '?/var/lib/kubeha/clusters/[0-9]+'?")]
    private static partial Regex MarkerRemove();

    /// <summary>One agent's view: its own connections and the commands it sent.</summary>
    internal sealed class Agent(KubeadmStateHosts hosts) : IHostShellFactory
    {
        public ConcurrentQueue<(int HostId, string Script)> Log { get; } = new();

        public IReadOnlyList<string> On(int hostId) => Log.Where(l => l.HostId == hostId).Select(l => l.Script).ToList();

        public Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken) =>
            Task.FromResult<IHostShell>(new Shell(hosts, this, host));
    }

    private sealed class Shell(KubeadmStateHosts hosts, Agent agent, ClusterMember host) : IHostShell
    {
        public bool IsDryRun => false;

        public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(hosts.Answer(host, script.Text, agent));
        }

        public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken) =>
            RunAsRootAsync(script, null, null, cancellationToken);

        public void AddKnownSecrets(IEnumerable<string> secrets)
        {
        }

        public string Mask(string text) => text;

        public void Dispose()
        {
        }
    }
}
