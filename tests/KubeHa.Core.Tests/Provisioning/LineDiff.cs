namespace KubeHa.Core.Tests.Provisioning;

/// <summary>
/// A line diff for small, local edits of large files (a vendored manifest and its rendering): the hunks where the two
/// differ, as removed and added lines. Resynchronises within a window of a few lines, which is all a substitution needs;
/// a larger change shows up as one big hunk, which a test rejects just the same.
/// </summary>
internal static class LineDiff
{
    private const int Window = 12;

    internal sealed record Hunk(IReadOnlyList<string> Removed, IReadOnlyList<string> Added)
    {
        public override string ToString() =>
            string.Join('\n', Removed.Select(l => "- " + l).Concat(Added.Select(l => "+ " + l)));
    }

    public static IReadOnlyList<Hunk> Compare(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var hunks = new List<Hunk>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && j < b.Length && a[i] == b[j])
            {
                i++;
                j++;
                continue;
            }

            var (di, dj) = Resync(a, b, i, j);
            hunks.Add(new Hunk(a[i..(i + di)], b[j..(j + dj)]));
            i += di;
            j += dj;
        }

        return hunks;
    }

    private static (int, int) Resync(string[] a, string[] b, int i, int j)
    {
        for (var total = 1; total <= 2 * Window; total++)
        {
            for (var di = Math.Max(0, total - Window); di <= Math.Min(total, Window); di++)
            {
                var dj = total - di;
                if (Matches(a, b, i + di, j + dj))
                {
                    return (di, dj);
                }
            }
        }

        return (a.Length - i, b.Length - j);
    }

    /// <summary>Both at their end, or the next three lines equal.</summary>
    private static bool Matches(string[] a, string[] b, int i, int j)
    {
        if (i >= a.Length || j >= b.Length)
        {
            return i >= a.Length && j >= b.Length;
        }

        for (var k = 0; k < 3 && i + k < a.Length && j + k < b.Length; k++)
        {
            if (a[i + k] != b[j + k])
            {
                return false;
            }
        }

        return true;
    }
}
