using KubeHa.Testing;
using System.Diagnostics;

namespace KubeHa.Web.Tests;

/// <summary>docker-compose.yml is validated offline by Debian's docker-compose (no Docker engine runs here).</summary>
[Trait("Category", "Integration")]
public class DockerComposeTests
{
    /// <summary>The secrets compose requires (<c>${VAR:?...}</c>); dummy values, config only interpolates them.</summary>
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["KUBEHA_DB_PASSWORD"] = "compose-test-db-password",
        ["KUBEHA_AGENT_TOKEN"] = "compose-test-agent-token",
    };

    [Fact]
    public async Task ComposeFile_ConfigQuiet_IsValid()
    {
        var root = RepositoryPaths.Root;
        var result = await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} config -q", root);
        Assert.True(result.ExitCode == 0, $"docker-compose config failed: {result.Output}");
        var lab = await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} --profile lab config -q", root);
        Assert.True(lab.ExitCode == 0, $"docker-compose --profile lab config failed: {lab.Output}");
    }

    [Fact]
    public async Task ComposeFile_SecretsMissing_RefusesNamingTheVariable()
    {
        var root = RepositoryPaths.Root;
        var result = await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} config -q", root, secrets: false);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("KUBEHA_DB_PASSWORD", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeFile_ScaledOut_PostgresWebWithoutWorkerAndTwoAgents()
    {
        var root = RepositoryPaths.Root;
        var services = await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} config --services", root);
        Assert.Equal(0, services.ExitCode);
        // docker-compose 1.29 lists profile services too; the lab and its agent start only with --profile lab.
        Assert.Equal(["agent-1", "agent-2", "agent-lab", "lab", "postgres", "web"], services.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        var config = (await RunAsync("docker-compose", $"-f {Path.Combine(root, "docker-compose.yml")} config", root)).Output;
        Assert.Contains("dockerfile: src/Agent/Dockerfile", config, StringComparison.Ordinal);
        Assert.Contains("KubeHa__Agent__Embedded: 'false'", config.Replace("\"", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("KubeHa__Database__Provider: PostgreSql", config, StringComparison.Ordinal);
        Assert.Contains("KubeHa__Agent__Name: agent-1", config, StringComparison.Ordinal);
        Assert.Contains("KubeHa__Agent__Name: agent-2", config, StringComparison.Ordinal);
        Assert.Contains("KubeHa__Agents__Token: compose-test-agent-token", config, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", config, StringComparison.Ordinal);
        Assert.Contains("pg_isready", config, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "src", "Agent", "Dockerfile")));
        Assert.Equal(2, config.Split("profiles:\n    - lab", StringSplitOptions.None).Length - 1);
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
        Assert.Contains("127.0.0.1:8080:8080/tcp", config, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "src", "Web", "Dockerfile")));
    }

    [Fact]
    public async Task ComposeFile_WebPort_LoopbackUnlessToldAndProxyTrustPassedOn()
    {
        var root = RepositoryPaths.Root;
        var file = Path.Combine(root, "docker-compose.yml");

        var byDefault = await RunAsync("docker-compose", $"-f {file} config", root);
        var published = await RunAsync("docker-compose", $"-f {file} config", root, environment: new()
        {
            ["KUBEHA_BIND"] = "0.0.0.0",
            ["KUBEHA_PORT"] = "8443",
            ["KUBEHA_TRUSTED_PROXY_NETWORK"] = "172.18.0.0/16",
        });

        // Plain HTTP is published on loopback only, so nothing outside the machine reaches it without a TLS proxy.
        Assert.Equal(0, byDefault.ExitCode);
        Assert.Contains("127.0.0.1:8080:8080/tcp", byDefault.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0:", byDefault.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("- published: 8080", byDefault.Output, StringComparison.Ordinal); // all interfaces
        Assert.Equal(0, published.ExitCode);
        Assert.Contains("0.0.0.0:8443:8080/tcp", published.Output, StringComparison.Ordinal);
        Assert.Contains("KubeHa__Proxy__KnownNetworks__0: 172.18.0.0/16", published.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string args, string cwd, bool secrets = true, Dictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in Secrets)
        {
            if (secrets)
            {
                psi.Environment[name] = value;
            }
            else
            {
                psi.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment ?? [])
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
