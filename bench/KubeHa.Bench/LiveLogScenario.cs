using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KubeHa.Core.Clusters;
using KubeHa.Core.Runs;
using Microsoft.Playwright;

namespace KubeHa.Bench;

/// <summary>
/// (3) Live log: a host prints numbered, timestamped lines at a fixed rate; three signed-in browser contexts watch the
/// run page. Latency is the time from the host's timestamp to the page's DOM showing the line; loss and reordering
/// are read from the page (data-contiguous, line count against the Seq range) and from the ledger.
/// (4b) Run log of many lines: time to interactive of /runs/{id} and circuit memory.
/// </summary>
public static class LiveLogScenario
{
    // Records, for the run log container, every change of data-last-seq, and the first time each line element shows.
    private const string Observer = """
        () => {
          const log = document.querySelector("[data-testid='run-log']");
          const k = window.__khb = { samples: [], seen: {} };
          const rec = t => { const s = +log.getAttribute('data-last-seq'); const a = k.samples; if (!a.length || a[a.length - 1][1] !== s) a.push([t, s]); };
          new MutationObserver(ms => {
            const t = Date.now();
            rec(t);
            const see = e => { const q = e.getAttribute('data-seq'); if (q !== null && !(q in k.seen)) k.seen[q] = t; };
            for (const m of ms) {
              // Blazor reuses the virtualized rows' elements: a line shows as a new element or as a row's new data-seq.
              if (m.type === 'attributes' && m.attributeName === 'data-seq') { see(m.target); continue; }
              for (const n of m.addedNodes) {
                if (n.nodeType !== 1) continue;
                if (n.matches("[data-seq]")) see(n); else n.querySelectorAll("[data-seq]").forEach(see);
              }
            }
          }).observe(log, { attributes: true, attributeFilter: ['data-last-seq', 'data-seq'], childList: true, subtree: true });
          rec(Date.now());
        }
        """;

    public static async Task RunAsync(BenchResult result, bool quick, CancellationToken ct)
    {
        (int Rate, int Seconds)[] rates = quick ? [(500, 2)] : [(1000, 10), (5000, 10), (10000, 10), (20000, 10)];
        const int browsers = 3;
        await using var app = BenchApp.Start();
        var (lab, _) = await LabCluster.UpAsync(app, 1, ct);
        var spec = new ClusterSpec { LoadBalancerMode = LoadBalancerMode.NodeLocal, ControlPlaneEndpointPort = 5443 };
        var clusterId = await lab.AddClusterAsync(spec, [("node1", NodeRole.ControlPlane)], ct);
        await using var browser = await Browser.LaunchAsync();
        var pages = new List<IPage>();
        for (var i = 0; i < browsers; i++)
        {
            pages.Add(await browser.SignedInPageAsync(app));
        }

        foreach (var (rate, seconds) in rates)
        {
            var count = rate * seconds;
            await LabCluster.Lab.ExecAsync("node1", $"rm -f {EmitLinesStep.GoFile}", ct);
            var timing = await lab.RunAsync(clusterId, BenchPlanCatalog.LogPlan(rate, count), ct, async runId =>
            {
                foreach (var page in pages)
                {
                    await page.GotoAsync($"runs/{runId}");
                    await page.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                    await page.Locator("[data-testid='run-log']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                    await page.EvaluateAsync(Observer);
                }

                await LabCluster.Lab.ExecAsync("node1", $"touch {EmitLinesStep.GoFile}", ct);
            });
            if (timing.Run.Status != RunStatus.Succeeded)
            {
                throw new BenchRunFailedException("log run failed: " + await lab.DescribeFailureAsync(timing.Run, ct));
            }

            var log = await lab.LogAsync(timing.Run.Id, ct);
            var lastSeq = log[^1].Seq;
            var printed = new Dictionary<long, double>();
            var expected = 1L;
            var ledgerInOrder = true;
            foreach (var line in log.Where(l => l.Text.StartsWith(EmitLinesStep.LinePrefix, StringComparison.Ordinal)))
            {
                var parts = line.Text.Split(' ');
                ledgerInOrder &= long.Parse(parts[1], CultureInfo.InvariantCulture) == expected++;
                printed[line.Seq] = double.Parse(parts[2], CultureInfo.InvariantCulture) * 1000.0;
            }

            var emitted = printed.Count;
            var achieved = emitted > 1 ? (emitted - 1) / ((printed.Values.Max() - printed.Values.Min()) / 1000.0) : double.NaN;
            var attr = new List<double>();
            var element = new List<double>();
            var intact = 0;
            foreach (var page in pages)
            {
                await page.WaitForFunctionAsync($"() => +document.querySelector(\"[data-testid='run-log']\").getAttribute('data-last-seq') >= {lastSeq}", null, new() { Timeout = 120_000 });
                var state = await page.EvaluateAsync<JsonElement>("""
                    () => { const l = document.querySelector("[data-testid='run-log']");
                      return { samples: window.__khb.samples.map(s => [s[0], s[1]]), seen: Object.entries(window.__khb.seen).map(([q, t]) => [+q, t]), contiguous: l.getAttribute('data-contiguous'),
                               count: +l.getAttribute('data-line-count'), first: +l.getAttribute('data-first-seq'), last: +l.getAttribute('data-last-seq') }; }
                    """);
                var samples = state.GetProperty("samples").EnumerateArray().Select(s => (T: s[0].GetDouble(), Seq: s[1].GetInt64())).ToList();
                var si = 0;
                foreach (var (seq, t0) in printed.OrderBy(p => p.Key))
                {
                    while (si < samples.Count && samples[si].Seq < seq)
                    {
                        si++;
                    }

                    if (si < samples.Count)
                    {
                        attr.Add(samples[si].T - t0);
                    }
                }

                foreach (var seen in state.GetProperty("seen").EnumerateArray())
                {
                    if (printed.TryGetValue(seen[0].GetInt64(), out var t0))
                    {
                        element.Add(seen[1].GetDouble() - t0);
                    }
                }

                var contiguous = state.GetProperty("contiguous").GetString() == "true";
                var first = state.GetProperty("first").GetInt64();
                var last = state.GetProperty("last").GetInt64();
                if (contiguous && last == lastSeq && state.GetProperty("count").GetInt64() == last - first + 1)
                {
                    intact++;
                }
            }

            attr.Sort();
            element.Sort();
            var label = $"{rate} lines/s × {seconds} s";
            result.Add($"{label}: achieved rate on the host", achieved, "lines/s");
            result.Add($"{label}: ledger has every line in order", ledgerInOrder && emitted == count ? 1 : 0, "bool");
            result.Add($"{label}: browsers with every line, contiguous, in order", intact, $"of {browsers}");
            var target = rate == 5000 ? "p95 < 100 ms" : null;
            result.Add($"{label}: latency host → DOM (log's last-seq), p50", Stats.Percentile(attr, 50), "ms");
            result.Add($"{label}: latency host → DOM (log's last-seq), p95", Stats.Percentile(attr, 95), "ms", target, target is null ? null : Stats.Percentile(attr, 95) < 100);
            result.Add($"{label}: latency host → DOM (log's last-seq), p99", Stats.Percentile(attr, 99), "ms");
            result.Add($"{label}: latency host → line element drawn, p50 ({element.Count} of {attr.Count} line views drawn)", Stats.Percentile(element, 50), "ms");
            result.Add($"{label}: latency host → line element drawn, p95", Stats.Percentile(element, 95), "ms");
            result.Add($"{label}: latency host → line element drawn, p99", Stats.Percentile(element, 99), "ms");
        }

        result.Note("Latency: host timestamp (Perl Time::HiRes at write) to Date.now() in the page when the run log's data-last-seq first covers the line (all lines), and when a row of the virtualized list first showed the line (new element or a reused row's new data-seq; only lines it drew: while following, batches arrive faster than rows are drawn). Same kernel clock; browsers are 3 contexts of one headless Chromium.");

        // (4b) A run log of many lines: printed as fast as the host can, then the page opened cold.
        var big = quick ? 20_000 : 500_000;
        await LabCluster.Lab.ExecAsync("node1", $"touch {EmitLinesStep.GoFile}", ct);
        var bigRun = await lab.RunAsync(clusterId, BenchPlanCatalog.LogPlan(0, big), ct);
        if (bigRun.Run.Status != RunStatus.Succeeded)
        {
            throw new BenchRunFailedException("big log run failed: " + await lab.DescribeFailureAsync(bigRun.Run, ct));
        }

        var bigLast = (await lab.LogAsync(bigRun.Run.Id, ct))[^1].Seq;
        result.Add($"run of {big} lines: wall (host prints at full speed, ledger persists)", bigRun.Wall.TotalSeconds, "s");
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2), ct); // circuits of the closed pages go away
        var fresh = await browser.SignedInPageAsync(app);
        var before = ProcessMemory.ManagedMiB();
        var rssBefore = ProcessMemory.RssMiB();
        var clock = Stopwatch.StartNew();
        await fresh.GotoAsync($"runs/{bigRun.Run.Id}");
        await fresh.Locator("html[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var ready = clock.Elapsed;
        await fresh.WaitForFunctionAsync($"() => {{ const l = document.querySelector(\"[data-testid='run-log']\"); return l && +l.getAttribute('data-last-seq') >= {bigLast} && l.querySelector('[data-seq]'); }}", null, new() { Timeout = 300_000 });
        var interactive = clock.Elapsed;
        var buffered = await fresh.EvaluateAsync<long>("() => +document.querySelector(\"[data-testid='run-log']\").getAttribute('data-line-count')");
        var after = ProcessMemory.ManagedMiB();
        result.Add($"run log of {bigLast} lines: circuit ready", ready.TotalMilliseconds, "ms");
        result.Add($"run log of {bigLast} lines: last line shown (time to interactive)", interactive.TotalMilliseconds, "ms");
        result.Add("run log page: lines held by the circuit (buffer capacity)", buffered, "lines");
        result.Add("run log circuit: managed heap growth", after - before, "MiB");
        result.Add("run log circuit: RSS growth", ProcessMemory.RssMiB() - rssBefore, "MiB");
        await fresh.Context.CloseAsync();
    }
}
