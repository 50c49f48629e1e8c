using System.Globalization;

namespace KubeHa.Bench;

/// <summary>
/// KubeHa.Bench SCENARIO [--quick] [--workers N] [--out DIR]   (bench/run.sh runs them all under the lab lock)
///   overhead   (1) KubeHa vs ansible-playbook on the same scripts
///   scale      (2) create + join of N workers [--parallel P: MaxParallelHosts]; (4a) dashboard of N+1 nodes
///   livelog    (3) host-to-DOM latency and sustained rate to 3 browsers; (4b) a run log of 500,000 lines
///   report     results.md from the JSON files in --out
/// </summary>
public static class BenchEntry
{
    public static async Task<int> Main(string[] args)
    {
        var scenario = args.FirstOrDefault() ?? "help";
        var quick = args.Contains("--quick");
        string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var output = Path.GetFullPath(Option("--out", "bench/results"));
        var workers = int.Parse(Option("--workers", "10"), CultureInfo.InvariantCulture);
        int? parallel = args.Contains("--parallel") ? int.Parse(Option("--parallel", "10"), CultureInfo.InvariantCulture) : null;
        var command = Environment.GetEnvironmentVariable("KUBEHA_BENCH_COMMAND") ?? "KubeHa.Bench " + string.Join(' ', args);

        if (scenario == "report")
        {
            var path = Path.Combine(output, "results.md");
            File.WriteAllText(path, BenchResult.Report(output));
            Console.WriteLine(File.ReadAllText(path));
            return 0;
        }

        if (scenario is not ("overhead" or "scale" or "livelog"))
        {
            Console.Error.WriteLine("usage: KubeHa.Bench overhead|scale|livelog|report [--quick] [--workers N] [--out DIR]");
            return 2;
        }

        // The lab is machine-global: a scenario runs only under the shared lock (bench/run.sh takes it).
        if (Environment.GetEnvironmentVariable("KUBEHA_LAB_LOCKED") != "1")
        {
            Console.Error.WriteLine("run scenarios through bench/run.sh: it holds /tmp/kubeha-lab.lock (flock) for the lab");
            return 2;
        }

        var name = scenario == "scale" ? $"scale-{workers:000}" + (parallel is { } p ? $"-parallel{p}" : "") : scenario;
        var result = new BenchResult { Scenario = name + (quick ? "-quick" : ""), Command = command };
        var limit = TimeSpan.FromMinutes(quick ? 20 : 45);
        using var cts = new CancellationTokenSource(limit);
        Console.WriteLine($"== {result.Scenario}");
        try
        {
            return await RunScenarioAsync(result, output, async () =>
            {
                try
                {
                    await (scenario switch
                    {
                        "overhead" => OverheadScenario.RunAsync(result, quick, cts.Token),
                        "scale" => ScaleScenario.RunAsync(result, workers, parallel, quick, cts.Token),
                        _ => LiveLogScenario.RunAsync(result, quick, cts.Token),
                    });
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    throw new BenchRunFailedException($"the scenario did not finish within its time limit of {limit.TotalMinutes} min");
                }
            });
        }
        finally
        {
            using var down = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await LabCluster.Lab.DownAsync(down.Token);
        }
    }

    /// <summary>
    /// Runs one scenario and saves its result; the process's exit code. Any failed run or replay fails the scenario
    /// (and so bench/run.sh and CI's smoke): the reason is kept, no figure is (SCENARIO.failed.json).
    /// </summary>
    public static async Task<int> RunScenarioAsync(BenchResult result, string output, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception ex)
        {
            result.Fail(ex is BenchRunFailedException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine(ex);
            Console.Error.WriteLine($"FAILED {result.Scenario}: {result.Failure}   -> {result.Save(output)}");
            return 1;
        }

        Console.WriteLine($"   -> {result.Save(output)}");
        return 0;
    }
}
