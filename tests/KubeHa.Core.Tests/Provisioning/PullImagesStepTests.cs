using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Core.Provisioning.Steps;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Provisioning;

/// <summary>
/// Every image a cluster needs is listed (kubeadm's for the version, the sandbox image, the CNI's from its manifest),
/// and the pull script pulls through the runtime only what is missing and fails naming what it could not pull
/// (run with bash against stand-in crictl/kubeadm commands).
/// </summary>
public sealed class PullImagesStepTests
{
    private const string Socket = "unix:///var/run/containerd/containerd.sock";

    [Fact]
    public void ClusterImages_Seed000Flannel_ListsKubeadmSandboxAndCniImages()
    {
        var (spec, _) = Seed000();

        var groups = ClusterImages.For(spec);

        Assert.Equal(
            ["registry.k8s.io/kube-apiserver:v1.29.3", "registry.k8s.io/kube-controller-manager:v1.29.3", "registry.k8s.io/kube-scheduler:v1.29.3"],
            groups[0].Images);
        Assert.Equal(["registry.k8s.io/kube-proxy:v1.29.3", "registry.k8s.io/pause:3.9"], groups[1].Images);
        Assert.Contains("coredns/coredns: the tag kubeadm v1.29.3 pins (`kubeadm config images list --kubernetes-version v1.29.3` prints it)", groups[1].Pinned[0], StringComparison.Ordinal);
        Assert.Equal("control planes", groups[2].Nodes);
        Assert.Equal(("Flannel v0.28.9", "every node"), (groups[3].Source, groups[3].Nodes));
        Assert.Equal(["ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3", "ghcr.io/flannel-io/flannel:v0.28.9"], groups[3].Images);
        Assert.Equal(4, groups.Count);
    }

    [Theory]
    [InlineData(CniPlugin.Flannel, "1.31.13")]
    [InlineData(CniPlugin.Calico, "1.31.13")]
    [InlineData(CniPlugin.Cilium, "1.31.13")]
    [InlineData(CniPlugin.Cilium, "1.29.3")]
    [InlineData(CniPlugin.Weave, "1.31.13")]
    public void ClusterImages_Cni_SameImagesAsTheRenderedManifest(CniPlugin cni, string version)
    {
        // The list is read once per vendored manifest: it must be what the manifest applied to this cluster names.
        var (seed, _) = Seed000();
        var spec = seed with { Cni = cni, KubernetesVersion = version, PodSubnet = "10.32.0.0/12" };

        Assert.Equal(ManifestInventory.Images(CniManifests.Render(spec)), ClusterImages.Cni(spec));
        Assert.NotEmpty(ClusterImages.Cni(spec));
    }

    [Fact]
    public void ClusterImages_ExternalEtcdWithIngressController_EtcdOnEtcdHostsAndThePinnedController()
    {
        var (spec, _) = Seed002();

        var groups = ClusterImages.For(spec, ingressController: true);

        Assert.Equal("etcd hosts", groups[2].Nodes);
        Assert.Equal(["haproxytech/kubernetes-ingress:3.2.11"], groups[^1].Images);
        Assert.Equal("workers", groups[^1].Nodes);
    }

    [Fact]
    public async Task RunAsync_DryRun_PreviewListsEveryImageAndPullsThemOnEveryNode()
    {
        var (spec, members) = Seed000();
        var sink = new PlanBuildingTests.ListSink();
        var context = PlanBuildingTests.Context(spec, members, sink: sink);
        var step = new PullImagesStep();
        context.CurrentStepKey = step.Key;

        foreach (var host in step.SelectHosts(context).Where(h => step.ShouldRun(context, h)))
        {
            await step.RunAsync(await context.SessionAsync(host, CancellationToken.None), CancellationToken.None);
        }

        var text = string.Join('\n', sink.Lines);
        Assert.Equal(1, sink.Lines.Count(l => l.Contains("images this cluster needs", StringComparison.Ordinal)));
        Assert.Contains("    ghcr.io/flannel-io/flannel:v0.28.9", sink.Lines);
        Assert.Contains("    registry.k8s.io/kube-apiserver:v1.29.3", sink.Lines);
        Assert.Equal(3, sink.Lines.Count(l => l == $"would run: kubeadm config images pull --kubernetes-version v1.29.3 --cri-socket {Socket}"));
        Assert.Equal(7, sink.Lines.Count(l => l.StartsWith("would run: runtime() { crictl --runtime-endpoint", StringComparison.Ordinal)));
        Assert.Equal(4, sink.Lines.Count(l => l.Contains("registry.k8s.io/kube-proxy:v1.29.3 $(kubeadm config images list --kubernetes-version v1.29.3", StringComparison.Ordinal)));
        Assert.DoesNotContain("192.168.56.11", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrictlPullScript_PresentMissingAndUnreachable_PullsOnlyMissingAndNamesWhatFailed()
    {
        var (spec, _) = Seed000();
        using var bin = new StandInBin(present: ["ghcr.io/flannel-io/flannel:v0.28.9"], unreachable: ["registry.k8s.io/coredns/coredns:v1.11.1"]);

        var result = await bin.RunAsync(PullImagesStep.CrictlPullScript(spec, KubernetesVersion.Parse("1.29.3"), Socket, controlPlane: false).Text);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("present: ghcr.io/flannel-io/flannel:v0.28.9", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("pulled: ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("pulled: registry.k8s.io/kube-proxy:v1.29.3", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("pulled: registry.k8s.io/pause:3.9", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("could not pull: registry.k8s.io/coredns/coredns:v1.11.1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("dial tcp: lookup registry.k8s.io: no such host", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pull ghcr.io/flannel-io/flannel:v0.28.9", bin.Calls, StringComparison.Ordinal);
        Assert.All(bin.Calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(c => c.StartsWith("crictl", StringComparison.Ordinal)),
            c => Assert.StartsWith($"crictl --runtime-endpoint {Socket} ", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CrictlPullScript_ControlPlaneAllReachable_SucceedsWithoutAskingKubeadm()
    {
        var (spec, _) = Seed000();
        using var bin = new StandInBin(present: [], unreachable: []);

        var result = await bin.RunAsync(PullImagesStep.CrictlPullScript(spec with { Cni = CniPlugin.Calico }, KubernetesVersion.Parse("1.31.2"), Socket, controlPlane: true).Text);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["pulled: quay.io/calico/cni:v3.32.1", "pulled: quay.io/calico/node:v3.32.1", "pulled: quay.io/calico/kube-controllers:v3.32.1", "pulled: registry.k8s.io/pause:3.10"],
            result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("kubeadm", bin.Calls, StringComparison.Ordinal);
    }

    /// <summary>A directory of stand-in crictl and kubeadm commands put first on PATH; each logs its arguments.</summary>
    private sealed class StandInBin : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("kubeha-pull-").FullName;

        public StandInBin(string[] present, string[] unreachable)
        {
            var log = Path.Combine(_dir, "calls");
            Write("crictl", $$"""
                #!/bin/bash
                echo "crictl $*" >> {{log}}
                shift 2
                case "$1" in
                  inspecti) case "$2" in {{Alternatives(present)}}) exit 0 ;; *) echo "no such image" >&2; exit 1 ;; esac ;;
                  pull) case "$2" in {{Alternatives(unreachable)}}) echo "E0101 pulling image: dial tcp: lookup registry.k8s.io: no such host" >&2; exit 1 ;; *) echo "Image is up to date for sha256:0"; exit 0 ;; esac ;;
                esac
                """);
            Write("kubeadm", $$"""
                #!/bin/bash
                echo "kubeadm $*" >> {{log}}
                printf '%s\n' registry.k8s.io/kube-apiserver:v1.29.3 registry.k8s.io/kube-proxy:v1.29.3 registry.k8s.io/coredns/coredns:v1.11.1 registry.k8s.io/pause:3.9 registry.k8s.io/etcd:3.5.12-0
                """);
        }

        public string Calls => File.Exists(Path.Combine(_dir, "calls")) ? File.ReadAllText(Path.Combine(_dir, "calls")) : "";

        public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script)
        {
            var psi = new ProcessStartInfo("/bin/bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["PATH"] = _dir + ":/usr/bin:/bin";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, await stderr);
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static string Alternatives(string[] images) => images.Length == 0 ? "__none__" : string.Join('|', images.Select(i => $"'{i}'"));

        private void Write(string name, string content)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, content + "\n");
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }
}
