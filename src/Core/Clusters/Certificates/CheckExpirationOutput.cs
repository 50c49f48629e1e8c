using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeHa.Core.Clusters.Certificates;

/// <summary>
/// Parses the text output of <c>kubeadm certs check-expiration</c>: a CERTIFICATE table (name, EXPIRES as
/// <c>Jan 02, 2006 15:04 MST</c>, RESIDUAL TIME, CERTIFICATE AUTHORITY — empty for kubeconfig files in kubeadm before
/// 1.23 — and EXTERNALLY MANAGED) and a CERTIFICATE AUTHORITY table without the authority column. Phase lines
/// (<c>[check-expiration] ...</c>), <c>!MISSING!</c> lines and blank lines are skipped. The residual days are the host's
/// (kubeadm's RESIDUAL TIME, on the host's clock, which is the clock its TLS peers check against): <c>20d</c> is 20,
/// hours, minutes or seconds are 0, <c>&lt;invalid&gt;</c> (expired) counts from the expiry; years are computed from the
/// expiry on <paramref name="now"/>.
/// </summary>
public static partial class CheckExpirationOutput
{
    public static IReadOnlyList<KubeadmCertificate> Parse(string output, string host, DateTimeOffset now)
    {
        var found = new List<KubeadmCertificate>();
        var inAuthorities = false;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (line.StartsWith("CERTIFICATE AUTHORITY", StringComparison.Ordinal))
            {
                inAuthorities = true;
                continue;
            }

            if (line.StartsWith("CERTIFICATE ", StringComparison.Ordinal))
            {
                inAuthorities = false;
                continue;
            }

            var row = RowRegex().Match(line);
            if (!row.Success
                || !DateTime.TryParseExact(row.Groups["expires"].Value, "MMM dd, yyyy HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var expires))
            {
                continue;
            }

            var expiresAt = new DateTimeOffset(expires, TimeSpan.Zero);
            var authority = row.Groups["authority"].Success && !inAuthorities ? row.Groups["authority"].Value : null;
            found.Add(new KubeadmCertificate(
                host,
                row.Groups["name"].Value,
                expiresAt,
                ResidualDays(row.Groups["residual"].Value, expiresAt, now),
                authority,
                inAuthorities,
                row.Groups["external"].Value == "yes"));
        }

        return found;
    }

    private static int ResidualDays(string residual, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var byExpiry = (int)Math.Floor((expiresAt - now).TotalDays);
        if (residual == "<invalid>")
        {
            return Math.Min(byExpiry, -1);
        }

        var unit = residual[^1];
        return unit switch
        {
            'd' when int.TryParse(residual[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) => days,
            'h' or 'm' or 's' => 0,
            _ => byExpiry,
        };
    }

    // name, "Mon DD, YYYY HH:MM UTC", residual ("364d", "9y", "<invalid>"), [authority], yes|no
    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9.\-]*)\s+(?<expires>[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2}) UTC\s+(?<residual>\S+)\s+(?:(?<authority>[a-z0-9][a-z0-9.\-]*)\s+)?(?<external>yes|no)$", RegexOptions.CultureInvariant)]
    private static partial Regex RowRegex();
}
