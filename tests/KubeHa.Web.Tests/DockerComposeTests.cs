using KubeHa.Testing;
using System.Diagnostics;

namespace KubeHa.Web.Tests;

/// <summary>docker-compose.yml is validated offline by Debian's docker-compose (no Docker engine runs here).</summary>
[Trait("Category", "Integration")]
public class DockerComposeTests
{
    [Fact]
    public async Task ComposeFile_ConfigQuiet_IsValid()
    {
        var root = RepositoryPaths.Root;
        var result = await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} config -q", root);
        Assert.True(result.ExitCode == 0, $"docker-compose config failed: {result.Output}");
    }

    [Fact]
    public async Task ComposeFile_WebService_HasBuildPortVolumeAndHealthcheck()
    {
        var root = RepositoryPaths.Root;
        var result = await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} config", root);
        Assert.Equal(0, result.ExitCode);
        var config = result.Output;
        Assert.Contains("dockerfile: src/Web/Dockerfile", config, StringComparison.Ordinal);
        Assert.Contains("healthcheck:", config, StringComparison.Ordinal);
        Assert.Contains("/healthz", config, StringComparison.Ordinal);
        Assert.Contains("kubeha-data:/data", config, StringComparison.Ordinal);
        Assert.Contains("target: 8080", config, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "src", "Web", "Dockerfile")));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string args, string cwd)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
