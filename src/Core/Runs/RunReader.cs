using System.Globalization;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Runs;

/// <summary>
/// Reads the run ledger for viewers: the snapshot a page starts from, log lines in Seq order (paged both ways), and the
/// whole log as text. Lines are stored masked, so nothing here can leak a secret the executor saw.
/// </summary>
public sealed class RunReader(IDbContextFactory<KubeHaDbContext> dbFactory)
{
    /// <summary>Largest page <see cref="ReadAfterAsync"/> and <see cref="ReadBeforeAsync"/> return.</summary>
    public const int MaxPage = 10_000;

    public async Task<RunSnapshot?> GetAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Cluster).Include(r => r.Steps).ThenInclude(s => s.Hosts)
            .AsSplitQuery().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var hostIds = await db.ClusterNodes.Where(n => n.ClusterId == run.ClusterId).Select(n => n.HostId).ToListAsync(cancellationToken);
        hostIds.AddRange(run.Steps.SelectMany(s => s.Hosts).Select(h => h.HostId));
        var names = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Name, cancellationToken);
        var lastSeq = await db.LogLines.Where(l => l.RunId == runId).MaxAsync(l => (long?)l.Seq, cancellationToken) ?? 0;
        var steps = run.Steps.OrderBy(s => s.Ordinal)
            .Select(s => new StepSnapshot(s.Ordinal, s.Key, s.Title, s.Status, s.StartedAt, s.FinishedAt,
                s.Hosts.OrderBy(h => h.HostId).Select(h => new HostStepSnapshot(h.HostId, h.Status, h.Attempt, h.ExitCode, h.Error, h.StartedAt, h.FinishedAt)).ToList()))
            .ToList();
        var summary = RunSummary.Of(run);
        return new RunSnapshot(summary, run.Cluster!.Name, steps, names, lastSeq);
    }

    /// <summary>Which of <paramref name="runIds"/> exist.</summary>
    public async Task<IReadOnlySet<long>> ExistingAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = runIds.Distinct().ToList();
        return (await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>Up to <paramref name="limit"/> lines with Seq greater than <paramref name="afterSeq"/>, in Seq order.</summary>
    public async Task<IReadOnlyList<LogLine>> ReadAfterAsync(long runId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.LogLines.AsNoTracking().Where(l => l.RunId == runId && l.Seq > afterSeq)
            .OrderBy(l => l.Seq).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> lines just before <paramref name="beforeSeq"/>, in Seq order (older pages).</summary>
    public async Task<IReadOnlyList<LogLine>> ReadBeforeAsync(long runId, long beforeSeq, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await db.LogLines.AsNoTracking().Where(l => l.RunId == runId && l.Seq < beforeSeq)
            .OrderByDescending(l => l.Seq).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(cancellationToken);
        page.Reverse();
        return page;
    }

    /// <summary>
    /// Writes the persisted log as text, one line per entry: <c>time host step stream | text</c>, reading the ledger in
    /// pages so memory stays flat however long the run is.
    /// </summary>
    public async Task WriteTextAsync(long runId, TextWriter writer, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(runId, cancellationToken);
        if (snapshot is null)
        {
            return;
        }

        long after = 0;
        while (true)
        {
            var page = await ReadAfterAsync(runId, after, 2_000, cancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            foreach (var line in page)
            {
                await writer.WriteLineAsync(FormatLine(line, snapshot.HostName(line.HostId)).AsMemory(), cancellationToken);
            }

            after = page[^1].Seq;
        }
    }

    /// <summary>"2026-11-26T07:50:01Z node-1 check-preflight stderr | text".</summary>
    public static string FormatLine(LogLine line, string hostName) =>
        string.Create(CultureInfo.InvariantCulture, $"{line.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {hostName} {line.StepKey ?? "-"} {line.Stream.ToString().ToLowerInvariant()} | {line.Text}");
}
