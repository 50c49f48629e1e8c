using KubeHa.Bench;
using KubeHa.Core.Provisioning;

namespace KubeHa.Bench.Tests;

/// <summary>
/// CI's bench smoke (bench/run.sh --quick) must fail when the Ansible replay fails, and the replay must work with
/// ansible-core alone. These run the real ansible-playbook on this machine (local connection, become as root).
/// </summary>
public sealed class BenchSmokeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeha-bench-test-").FullName;

    [Fact]
    public async Task Replay_ScriptsEndAsUnderKubeHa_SucceedsWithEachScriptTimedOnTheHost()
    {
        var steps = Steps(new RecordedCommand("sleep 0.2; echo ready", null, false) { ExitCode = 0 },
            new RecordedCommand("cat > /dev/null; exit 4", "uploaded file\n", false) { ExitCode = 4 });

        var run = await ReplayAsync(steps);

        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.FailureReason);
        Assert.True(run.CommandCriticalPath > TimeSpan.Zero, "the host's per-script timings reached the harness");
        Assert.StartsWith("ansible-playbook [core ", run.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ScriptEndsWithAnotherExitCodeThanUnderKubeHa_FailsTheScenarioWithTheReason()
    {
        var steps = Steps(new RecordedCommand("echo 'no such package' >&2; exit 3", null, false) { ExitCode = 0 });

        var run = await ReplayAsync(steps);

        Assert.NotEqual(0, run.ExitCode);
        var failure = Assert.Throws<BenchRunFailedException>(() => run.EnsureSucceeded("replay with forks 5"));
        Assert.Contains("install-packages node1 rc=3: no such package", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunScenario_ReplayFails_ExitsNonZeroAndKeepsTheReasonButNoFigure()
    {
        var result = new BenchResult { Scenario = "overhead-quick", Command = "bench/run.sh --quick" };
        var steps = Steps(new RecordedCommand("exit 3", null, false) { ExitCode = 0 });

        var code = await BenchEntry.RunScenarioAsync(result, _dir, async () =>
        {
            result.Add("kubeha create, wall", 12.5, "s");
            var run = await ReplayAsync(steps);
            result.Add("ansible-playbook forks 5, exit code", run.ExitCode, "");
            run.EnsureSucceeded("ansible-playbook replay with forks 5");
            result.Add("wall ratio kubeha / ansible forks 5", 0.3, "", "≤ 0.2", false);
        });

        Assert.Equal(1, code);
        Assert.False(File.Exists(Path.Combine(_dir, "overhead-quick.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "overhead-quick.failed.json")));
        var report = BenchResult.Report(_dir);
        Assert.Contains("FAILED: overhead-quick", report, StringComparison.Ordinal);
        Assert.Contains("rc=3", report, StringComparison.Ordinal);
        Assert.DoesNotContain("ratio", report, StringComparison.Ordinal);
        Assert.DoesNotContain("12.5", report, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ReplayStep[] Steps(params RecordedCommand[] commands) =>
        [new ReplayStep("install-packages", Fanout.Parallel, [("node1", commands)])];

    private async Task<AnsibleRun> ReplayAsync(IReadOnlyList<ReplayStep> steps)
    {
        var replay = Path.Combine(_dir, "replay");
        Directory.CreateDirectory(replay);
        await File.WriteAllTextAsync(Path.Combine(replay, "inventory.yml"),
            "all:\n  hosts:\n    node1:\n      ansible_connection: local\n      ansible_python_interpreter: /usr/bin/python3\n");
        AnsibleReplay.WritePlaybook(replay, steps, ["node1"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await AnsibleReplay.RunAsync(replay, steps, forks: 5, timeout.Token);
    }
}
