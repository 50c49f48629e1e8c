using System.Diagnostics;
using System.Diagnostics.Metrics;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using Microsoft.Playwright;

namespace KubeHa.Bench;

/// <summary>
/// (2) Scale: create of 1 control plane + 1 HAProxy host + N workers (joined in the same run); wall time, peak RSS of
/// this process (the app: Web + embedded agent, plus the harness), SSH connections (KubeHa's counter and the hosts'
/// sshd logs). (4a) Then the cluster dashboard of those N+1 nodes: time to interactive and circuit memory.
/// </summary>
public static class ScaleScenario
{
    public static async Task RunAsync(BenchResult result, int workers, int? parallel, bool quick, CancellationToken ct)
    {
        var baseline = ProcessMemory.RssMiB();
        long sshOpened = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SshMetrics.MeterName && instrument.Name == SshMetrics.ConnectionsOpened)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref sshOpened, value));
        listener.Start();

        var settings = new Dictionary<string, string?> { ["KubeHa:Provisioning:VerifyTimeout"] = "00:10:00" };
        if (parallel is { } p)
        {
            settings["KubeHa:Provisioning:MaxParallelHosts"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        result.Note($"KubeHa:Provisioning:MaxParallelHosts = {parallel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "10 (the default)"}");
        await using var app = BenchApp.Start(settings);
        var started = ProcessMemory.RssMiB();
        var (lab, labUp) = await LabCluster.UpAsync(app, workers + 2, ct);
        result.Add($"lab up {workers + 2} hosts (not part of any figure)", labUp.TotalSeconds, "s");
        var roles = new List<(string, NodeRole)> { ("node1", NodeRole.ControlPlane), ("node2", NodeRole.LoadBalancer) };
        roles.AddRange(Enumerable.Range(3, workers).Select(i => ($"node{i}", NodeRole.Worker)));
        var spec = new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy, ContainerRuntime = ContainerRuntime.Containerd, Cni = CniPlugin.Flannel };
        var clusterId = await lab.AddClusterAsync(spec, roles, ct);

        var sshdBefore = SshdAccepted();
        var cpuBefore = MachineCpu.Read();
        var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
        ProcessMemory.ResetPeak();
        app.Recorder.Reset();
        var timing = await lab.RunAsync(clusterId, PlanCatalog.Create, ct);
        var peak = ProcessMemory.PeakRssMiB();
        var cpu = MachineCpu.Read() - cpuBefore;
        var self = Process.GetCurrentProcess().TotalProcessorTime - selfBefore;
        if (timing.Run.Status != RunStatus.Succeeded)
        {
            throw new BenchRunFailedException($"create of {workers} workers failed: " + await lab.DescribeFailureAsync(timing.Run, ct));
        }

        result.Add($"create + join {workers} workers, wall", timing.Wall.TotalSeconds, "s");
        result.Add($"create + join {workers} workers, engine", timing.Engine?.TotalSeconds ?? double.NaN, "s");
        result.Add($"  of which verify-cluster (waits for {workers + 1} nodes Ready)", timing.StepTime("verify-cluster").TotalSeconds, "s");
        result.Add($"  of which join-workers", timing.StepTime("join-workers").TotalSeconds, "s");
        result.Add("machine CPU busy during the run (all cores)", cpu.BusyFraction * 100, "%");
        result.Add("CPU time of this process (app + harness) during the run", self.TotalSeconds, "s");
        result.Add("CPU time of every other process on the machine (lab hosts; other sessions too) during the run", cpu.BusySeconds - self.TotalSeconds, "s");
        result.Add("RSS before the app started (runtime + harness)", baseline, "MiB");
        result.Add("RSS after the app started", started, "MiB");
        result.Add("peak RSS during the run (Web + agent + harness)", peak, "MiB", "< 400 MiB", peak < 400);
        result.Add("SSH connections opened during the run (KubeHa counter)", Interlocked.Read(ref sshOpened), "connections");
        result.Add("SSH sessions accepted by the hosts' sshd during the run", SshdAccepted() - sshdBefore, "logins");
        result.Add("host shells opened by the run (one per host expected)", app.Recorder.Opened, "shells");
        var log = await lab.LogAsync(timing.Run.Id, ct);
        result.Add("log lines of the run", log.Count, "lines");

        // (4a) Dashboard of the cluster just created.
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.SignedInPageAsync(app);
        var before = ProcessMemory.ManagedMiB();
        var rssBefore = ProcessMemory.RssMiB();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"clusters/{clusterId}");
        await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var ready = clock.Elapsed;
        await page.WaitForFunctionAsync($"() => document.querySelectorAll(\"[data-testid='node-status']\").length >= {workers + 1}", null, new() { Timeout = 120_000 });
        var rows = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(quick ? 1 : 3), ct); // let live health updates settle before measuring
        var after = ProcessMemory.ManagedMiB();
        result.Add($"dashboard of {workers + 1} nodes: circuit ready", ready.TotalMilliseconds, "ms");
        result.Add($"dashboard of {workers + 1} nodes: all node rows rendered (time to interactive)", rows.TotalMilliseconds, "ms");
        result.Add("dashboard circuit: managed heap growth", after - before, "MiB");
        result.Add("dashboard circuit: RSS growth", ProcessMemory.RssMiB() - rssBefore, "MiB");
        await page.Context.CloseAsync();
    }

    /// <summary>Successful SSH logins on every lab host so far, from the hosts' sshd logs.</summary>
    private static long SshdAccepted()
    {
        const string root = "/var/lib/kubeha-lab/hosts";
        if (!Directory.Exists(root))
        {
            return 0;
        }

        return Directory.GetDirectories(root).Select(d => Path.Combine(d, "log", "sshd.log")).Where(File.Exists)
            .Sum(f => (long)File.ReadLines(f).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal)));
    }
}
