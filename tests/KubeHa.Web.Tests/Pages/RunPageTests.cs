using Bunit;
using KubeHa.Core.Audit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Web.Components.Pages.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Pages;

/// <summary>The run view renders the ledger's snapshot, then follows the live feed without duplicating lines.</summary>
public sealed class RunPageTests : IAsyncLifetime
{
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync();

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Render_FailedRunSnapshot_ShowsStepsFailedHostErrorAndLines()
    {
        var (runId, hostId) = await SeedFailedRunAsync(lines: 40);
        _ctx.RenderProviders();

        var page = _ctx.Bunit.Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForAssertion(() => Assert.Equal("failed", page.Find("[data-testid=run-status]").GetAttribute("data-status")));
        var log = page.Find("[data-testid=run-log]");
        Assert.Equal("40", log.GetAttribute("data-line-count"));
        Assert.Equal("true", log.GetAttribute("data-contiguous"));
        var failed = page.Find("[data-testid=failed-step]");
        Assert.Equal("cp1", page.Find("[data-testid=failed-host]").TextContent);
        Assert.Contains("kubeadm init", page.Find("[data-testid=failed-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("line 40", failed.QuerySelector("[data-testid=failed-last-lines]")!.TextContent, StringComparison.Ordinal);
        var steps = page.FindAll("[data-testid=run-step]");
        Assert.Equal("succeeded", steps[0].GetAttribute("data-status"));
        Assert.Contains(steps, s => s.GetAttribute("data-step") == "init-first-control-plane" && s.GetAttribute("data-status") == "failed");
        Assert.Contains(page.FindAll("[data-testid=host-step]"), h => h.GetAttribute("data-host") == "cp1" && h.GetAttribute("data-status") == "failed");
        Assert.Contains("preflight", page.Find("[data-testid=kubeadm-phases]").TextContent, StringComparison.Ordinal);
        Assert.Matches("^clusters/[0-9]+$", page.Find("[data-testid=run-cluster]").GetAttribute("href")); // its dashboard, not the list
        _ = hostId;
    }

    [Fact]
    public async Task LiveEvents_AlreadyHeldAndNewSeq_AppendsOnlyTheNewLines()
    {
        var (runId, hostId) = await SeedFailedRunAsync(lines: 5);
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<RunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForAssertion(() => Assert.Equal("5", page.Find("[data-testid=run-log]").GetAttribute("data-line-count")));
        var events = _ctx.Services.GetRequiredService<RunEvents>();

        events.Publish(new RunLogEvent(runId, 5, "init-first-control-plane", hostId, LogStream.Stdout, "line 5 again", DateTimeOffset.UtcNow));
        events.Publish(new RunLogEvent(runId, 6, "init-first-control-plane", hostId, LogStream.Stderr, "line 6", DateTimeOffset.UtcNow));
        events.Publish(new RunLogEvent(runId, 6, "init-first-control-plane", hostId, LogStream.Stderr, "line 6 again", DateTimeOffset.UtcNow));

        page.WaitForAssertion(() =>
        {
            var log = page.Find("[data-testid=run-log]");
            Assert.Equal("6", log.GetAttribute("data-line-count"));
            Assert.Equal("6", log.GetAttribute("data-last-seq"));
            Assert.Equal("true", log.GetAttribute("data-contiguous"));
        });
    }

    [Fact]
    public async Task Resume_Confirmed_ResumesAndAuditsTheUser()
    {
        var (runId, _) = await SeedFailedRunAsync(lines: 2);
        var providers = _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForElement("[data-testid=run-resume]").Click();
        await ConfirmAsync(providers, "Resume");

        var entry = await WaitForAuditAsync(AuditActions.RunResumed);
        Assert.Equal("operator", entry.Actor);
        Assert.Equal($"run #{runId}", entry.Target);
        Assert.True(entry.Succeeded);
    }

    [Fact]
    public async Task Cancel_Confirmed_RequestsCancelAndAuditsTheUser()
    {
        var (runId, _) = await SeedFailedRunAsync(lines: 1, finish: false);
        var providers = _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForElement("[data-testid=run-cancel]").Click();
        await ConfirmAsync(providers, "Stop the run");

        var entry = await WaitForAuditAsync(AuditActions.RunCancelled);
        Assert.Equal("operator", entry.Actor);
        Assert.Equal($"run #{runId}", entry.Target);
        Assert.True(await _ctx.Services.GetRequiredService<RunLedger>().IsCancelRequestedAsync(runId, default));
    }

    [Fact]
    public async Task Render_AttemptFailedWithoutOutput_LastLinesShowTheStepsEarlierLines()
    {
        var (runId, _) = await SeedFailedRunAsync(lines: 12, recordFailureAfterOutput: true);
        _ctx.RenderProviders();

        var page = _ctx.Bunit.Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForAssertion(() => Assert.Equal("failed", page.Find("[data-testid=run-status]").GetAttribute("data-status")));
        Assert.Contains("line 12", page.Find("[data-testid=failed-last-lines]").TextContent, StringComparison.Ordinal);
    }

    private static async Task ConfirmAsync(IRenderedComponent<Bunit.Rendering.ContainerFragment> providers, string button)
    {
        providers.WaitForAssertion(() => Assert.Contains(providers.FindAll("button"), b => b.TextContent.Trim() == button));
        await providers.FindAll("button").First(b => b.TextContent.Trim() == button).ClickAsync(new());
    }

    private async Task<AuditEntry> WaitForAuditAsync(string action)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var entries = await _ctx.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: action), default);
            if (entries.Count > 0)
            {
                return Assert.Single(entries);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No {action} audit entry before the deadline.");
            await Task.Delay(20);
        }
    }

    private async Task<(long RunId, int HostId)> SeedFailedRunAsync(int lines, bool finish = true, bool recordFailureAfterOutput = false)
    {
        var hosts = await _ctx.AddHostsAsync("cp1", "lb1");
        var catalog = _ctx.Services.GetRequiredService<ClusterCatalog>();
        var created = await catalog.CreateAsync(new ClusterDraft("prod", new ClusterSpec { LoadBalancerMode = LoadBalancerMode.DedicatedHaproxy },
            [new HostRoles(hosts[0], new HashSet<NodeRole> { NodeRole.ControlPlane }), new HostRoles(hosts[1], new HashSet<NodeRole> { NodeRole.LoadBalancer })]), default);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Message)));
        var ledger = _ctx.Services.GetRequiredService<RunLedger>();
        var plan = _ctx.Services.GetRequiredService<IPlanCatalog>().Get(PlanCatalog.Create);
        var run = await ledger.CreateRunAsync(created.ClusterId!.Value, plan, null, "operator", default);
        Assert.True(await ledger.TryClaimAsync(run.Id, "test", 1, default));
        var init = plan.Steps.Select((s, i) => (s, i)).Single(x => x.s.Key == "init-first-control-plane");
        await ledger.SetStepStatusAsync(run.Id, 0, plan.Steps[0].Key, StepStatus.Succeeded, default);
        await ledger.RecordHostStepAsync(run.Id, 0, plan.Steps[0].Key, hosts[0], StepStatus.Succeeded, 0, null, default);
        await ledger.SetStepStatusAsync(run.Id, init.i, init.s.Key, StepStatus.Failed, default);
        if (!recordFailureAfterOutput)
        {
            await ledger.RecordHostStepAsync(run.Id, init.i, init.s.Key, hosts[0], StepStatus.Failed, 1, "kubeadm init --config /etc/kubernetes/kubeadm.yaml exited with 1", default);
        }

        await using (var writer = await ledger.OpenLogAsync(run.Id, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, default))
        {
            writer.Write(init.s.Key, hosts[0], LogStream.Stdout, "[preflight] Running pre-flight checks");
            for (var i = 2; i <= lines; i++)
            {
                writer.Write(init.s.Key, hosts[0], i % 3 == 0 ? LogStream.Stderr : LogStream.Stdout, $"line {i}");
            }
        }

        if (recordFailureAfterOutput)
        {
            // A second attempt starts (stamped after the first attempt's lines) and fails before printing anything.
            await Task.Delay(20);
            await ledger.RecordHostStepAsync(run.Id, init.i, init.s.Key, hosts[0], StepStatus.Running, null, null, default);
            await ledger.RecordHostStepAsync(run.Id, init.i, init.s.Key, hosts[0], StepStatus.Failed, 1, "kubeadm init --config /etc/kubernetes/kubeadm.yaml exited with 1", default);
        }

        if (finish)
        {
            await ledger.FinishRunAsync(run.Id, new RunOwner("test", 1), RunStatus.Failed, "Init first control plane failed on cp1.", ClusterStatus.Failed, default);
        }

        return (run.Id, hosts[0]);
    }
}
