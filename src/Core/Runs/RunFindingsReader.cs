using KubeHa.Core.Diagnostics;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>
/// A run's diagnosis: for every host-step that failed, its last output lines from the ledger read by
/// <see cref="KubeadmOutputAnalyzer"/>. The run view shows the same for the failed step; this lists them for a summary.
/// </summary>
public sealed class RunFindingsReader(IDbContextFactory<KubeHaDbContext> dbFactory)
{
    /// <summary>Lines of a failed host-step given to the analyzer (kubeadm prints its error last).</summary>
    public const int TailLines = 5_000;

    /// <returns>Null when the run does not exist.</returns>
    public async Task<IReadOnlyList<RunFinding>?> GetAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
        {
            return null;
        }

        var failed = await db.HostStepRuns.AsNoTracking()
            .Where(h => h.StepRun!.RunId == runId && h.Status == StepStatus.Failed)
            .Select(h => new { h.HostId, h.Attempt, h.StepRun!.Key, h.StepRun.Title, h.StepRun.Ordinal })
            .OrderBy(h => h.Ordinal).ThenBy(h => h.HostId)
            .ToListAsync(cancellationToken);
        var hostIds = failed.Select(f => f.HostId).Distinct().ToList();
        var names = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Name, cancellationToken);

        var findings = new List<RunFinding>();
        foreach (var step in failed)
        {
            var tail = await db.LogLines.AsNoTracking()
                .Where(l => l.RunId == runId && l.StepKey == step.Key && l.HostId == step.HostId && l.Stream != LogStream.System)
                .OrderByDescending(l => l.Seq).Take(TailLines).Select(l => l.Text)
                .ToListAsync(cancellationToken);
            tail.Reverse();
            var diagnosis = KubeadmOutputAnalyzer.Analyze(string.Join('\n', tail));
            var name = names.GetValueOrDefault(step.HostId, $"host {step.HostId}");
            findings.AddRange(diagnosis.Findings.Select(f => new RunFinding(step.Key, step.Title, step.HostId, name, step.Attempt, f)));
        }

        return findings;
    }
}
