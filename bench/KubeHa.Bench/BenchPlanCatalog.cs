using System.Globalization;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Provisioning.Steps;
using KubeHa.Core.Remote;

namespace KubeHa.Bench;

/// <summary>
/// KubeHa's plans plus "bench-log-RATE-COUNT": connect, then print COUNT numbered, timestamped lines on every host at
/// RATE lines per second (0: as fast as the host can), through the same HostSession, log writer and live feed as any
/// step's output.
/// </summary>
public sealed class BenchPlanCatalog(IPlanCatalog inner) : IPlanCatalog
{
    public const string Prefix = "bench-log-";

    public static string LogPlan(int rate, int count) => $"{Prefix}{rate}-{count}";

    public Plan Get(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return inner.Get(key);
        }

        var parts = key[Prefix.Length..].Split('-');
        var rate = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var count = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return new Plan(key, "Benchmark log stream", [new ConnectHostsStep(), new EmitLinesStep(rate, count)]);
    }
}

/// <summary>Waits for the harness's go signal (a file on the host), then prints "khbench SEQ EPOCH_SECONDS" lines.</summary>
public sealed class EmitLinesStep(int rate, int count) : Step
{
    public const string GoFile = "/tmp/khbench-go";
    public const string LinePrefix = "khbench ";

    public override string Key => "emit-lines";

    public override string Title => $"Emit {count} lines at {(rate == 0 ? "full speed" : rate + "/s")}";

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.Members.ToList();

    public override Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        // Perl (always on Debian) with Time::HiRes: paces by absolute schedule, stamps each line when it is written,
        // unbuffered so every line leaves at once.
        const string Program = "$|=1; my ($r,$n)=@ARGV; my $t0=time; for my $i (1..$n) { if ($r>0) { my $d=$t0+($i-1)/$r-time; sleep($d) if $d>0.0005; } printf(\"" + LinePrefix + "%d %.6f\\n\",$i,time); }";
        ShellScript script = $"""
            i=0; while [ ! -e {GoFile} ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
            perl -MTime::HiRes=time,sleep -e {Program} {rate} {count}
            """;
        return host.RunAsync(script, cancellationToken);
    }
}
