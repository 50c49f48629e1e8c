using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Agent.Jobs;

/// <summary>
/// After a run ends (succeeded or failed), the hosts it worked on have changed (swap off, packages installed, ports
/// taken, or freed by a reset), so the facts the Hosts page shows are gathered again: a check of each is queued.
/// </summary>
public sealed class RunHostsRecheck(IDbContextFactory<KubeHaDbContext> dbFactory, IHostCheckScheduler checks)
{
    public async Task ScheduleAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken);
        if (status is not (RunStatus.Succeeded or RunStatus.Failed))
        {
            return;
        }

        var hostIds = await db.HostStepRuns
            .Where(h => h.StepRun!.RunId == runId && h.Status != StepStatus.Pending && h.Status != StepStatus.Skipped)
            .Select(h => h.HostId)
            .Distinct()
            .ToListAsync(cancellationToken);
        var idle = await db.Hosts
            .Where(h => hostIds.Contains(h.Id) && h.CheckStatus != HostCheckStatus.Queued && h.CheckStatus != HostCheckStatus.Running)
            .Select(h => h.Id)
            .ToListAsync(cancellationToken);
        if (idle.Count > 0)
        {
            await checks.ScheduleAsync(idle, cancellationToken);
        }
    }
}
