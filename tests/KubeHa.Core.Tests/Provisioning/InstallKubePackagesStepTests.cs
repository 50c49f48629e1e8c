using System.Diagnostics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Steps;

namespace KubeHa.Core.Tests.Provisioning;

/// <summary>
/// The apt repository script, run with bash against stand-in curl, gpg, apt-get and apt-cache in a temporary
/// directory: a host reused from a cluster of another minor gets the cluster's minor (issue 17: it kept the old
/// kubernetes.list and failed with "Version '1.31.2-*' for 'kubelet' was not found").
/// </summary>
public sealed class InstallKubePackagesStepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeha-kube-repo-").FullName;

    public InstallKubePackagesStepTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        Directory.CreateDirectory(Path.Combine(_dir, "sources"));
        StandIn("curl", """echo "curl $*" >> "$CALLS"; echo "key of $3" """);
        StandIn("gpg", """echo "gpg $*" >> "$CALLS"; cat > "${@: -1}" """);
        StandIn("apt-get", """echo "apt-get $*" >> "$CALLS" """);
        StandIn("apt-cache", """[ -n "$MADISON" ] && echo "   kubeadm | $MADISON | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages"; true""");
    }

    private string ListPath => Path.Combine(_dir, "sources", "kubernetes.list");

    private string Calls => File.Exists(Path.Combine(_dir, "calls")) ? File.ReadAllText(Path.Combine(_dir, "calls")) : "";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RepositoryScript_HostReusedFromAnotherMinor_RepositorySetToTheClustersMinor()
    {
        await File.WriteAllTextAsync(ListPath, $"deb [signed-by={_dir}/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n");

        var exit = await RunAsync("1.31.2", madison: "1.30.14-1.1");

        Assert.Equal(0, exit);
        Assert.Equal($"deb [signed-by={_dir}/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n", await File.ReadAllTextAsync(ListPath));
        Assert.Contains("curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.31/deb/Release.key", Calls, StringComparison.Ordinal);
        Assert.Contains("apt-get update -q", Calls, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "keyrings", "kubernetes-apt-keyring.gpg")));
    }

    [Fact]
    public async Task RepositoryScript_AlreadyTheClustersMinorAndVersionListed_TouchesNothing()
    {
        Assert.Equal(0, await RunAsync("1.31.2", madison: null));
        File.Delete(Path.Combine(_dir, "calls"));
        var written = File.GetLastWriteTimeUtc(ListPath);

        Assert.Equal(0, await RunAsync("1.31.2", madison: "1.31.2-1.1"));

        Assert.Equal("", Calls);
        Assert.Equal(written, File.GetLastWriteTimeUtc(ListPath));
    }

    [Fact]
    public async Task RepositoryScript_NewestRelease_RepositoryOfItsMinor()
    {
        await RunAsync(KubernetesReleases.Default, madison: null);

        Assert.Equal($"deb [signed-by={_dir}/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /\n", await File.ReadAllTextAsync(ListPath));
        Assert.Contains("curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.37/deb/Release.key", Calls, StringComparison.Ordinal);
    }

    private async Task<int> RunAsync(string version, string? madison)
    {
        var script = InstallKubePackagesStep.RepositoryScript(KubernetesVersion.Parse(version), Path.Combine(_dir, "sources"), Path.Combine(_dir, "keyrings")).Text;
        var psi = new ProcessStartInfo("/bin/bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PATH"] = Path.Combine(_dir, "bin") + ":/usr/bin:/bin";
        psi.Environment["CALLS"] = Path.Combine(_dir, "calls");
        psi.Environment["MADISON"] = madison ?? "";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        return process.ExitCode;
    }

    private void StandIn(string name, string body)
    {
        var path = Path.Combine(_dir, "bin", name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
