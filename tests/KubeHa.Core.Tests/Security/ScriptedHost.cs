using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Tests.Security;

/// <summary>
/// A host as a plan sees it, without a network: answers the facts and state scripts with what this host reports (a
/// hostile hostname, hostile interface names), reads of the CA and kubeconfig with real-looking data, and everything
/// else with success. Records every script and every file content sent to it, so a test can check them all. Not a dry
/// run: steps take their real code paths (facts parsed, certificates hashed).
/// </summary>
internal sealed class ScriptedHost(string hostname, string address, bool joined, string? extraInterface = null, string osName = "Debian GNU/Linux 12 (bookworm)") : IHostShell
{
    private static readonly Lazy<string> CaPem = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return cert.ExportCertificatePem();
    });

    public List<(string Script, string? Input)> Sent { get; } = [];

    public bool IsDryRun => false;

    public Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(script.Text, standardInput));

    public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(script.Text, null));

    public void AddKnownSecrets(IEnumerable<string> secrets)
    {
    }

    public string Mask(string text) => text;

    public void Dispose()
    {
    }

    private RemoteCommandResult Answer(string script, string? input)
    {
        lock (Sent)
        {
            Sent.Add((script, input));
        }

        var output = script switch
        {
            _ when script.Contains("::kubeha::%s", StringComparison.Ordinal) => Facts(),
            _ when script.Contains("swap_active=", StringComparison.Ordinal) => State(),
            _ when script.StartsWith("cat ", StringComparison.Ordinal) && script.Contains(KubeadmPaths.CaCert, StringComparison.Ordinal) => CaPem.Value,
            _ when script.StartsWith("cat ", StringComparison.Ordinal) && script.Contains(KubeadmPaths.AdminConf, StringComparison.Ordinal) => "apiVersion: v1\nkind: Config\n",
            _ when script.StartsWith("cat ", StringComparison.Ordinal) => "-----BEGIN DATA-----\n",
            _ when script.Contains("base64 -w0", StringComparison.Ordinal) => "ZHVtbXk=",
            _ => string.Empty,
        };
        return new RemoteCommandResult(0, output, string.Empty);
    }

    private string Facts() => $"""

        ::kubeha::os-release
        ID=debian
        VERSION_ID="12"
        PRETTY_NAME="{osName}"
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
        eth0 02:00:00:00:00:{Math.Abs(address.GetHashCode(StringComparison.Ordinal)) % 256:x2}
        ::kubeha::product-uuid
        {Guid.NewGuid()}
        ::kubeha::hostname
        {hostname}
        ::kubeha::cgroup-fs
        cgroup2fs
        ::kubeha::ss
        ::kubeha::end

        """;

    private string State()
    {
        var flag = joined ? "1" : "0";
        return $"""
            swap_active=0
            swap_fstab=0
            modules=1
            sysctl=1
            containerd=1
            containerd_systemd=1
            admin_conf={flag}
            kubelet_conf={flag}
            etcd_manifest={flag}
            pkg=apt
            addr=eth0 {address}/24
            {(extraInterface is null ? string.Empty : $"addr={extraInterface} {address}/24")}

            """;
    }
}
