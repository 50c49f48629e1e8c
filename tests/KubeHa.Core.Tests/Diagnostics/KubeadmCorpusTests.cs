using System.Text.RegularExpressions;
using KubeHa.Core.Diagnostics;

namespace KubeHa.Core.Tests.Diagnostics;

/// <summary>The analyzer against real kubeadm output from public sources (see each sample's provenance header).</summary>
public sealed partial class KubeadmCorpusTests
{
    public static TheoryData<string> Samples => KubeadmCorpus.Names();

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_CorpusSample_ReturnsExpectedOutcome(string name)
    {
        var sample = KubeadmCorpus.Get(name);

        var diagnosis = KubeadmOutputAnalyzer.Analyze(sample.Output);

        Assert.Equal(sample.ExpectedOutcome, diagnosis.Outcome.ToString().ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_CorpusSample_ReturnsExpectedCodesAndSeverities(string name)
    {
        var sample = KubeadmCorpus.Get(name);

        var diagnosis = KubeadmOutputAnalyzer.Analyze(sample.Output);

        Assert.Equal(sample.ExpectedCodes.Order(), diagnosis.Findings.Select(f => f.Code).Distinct().Order());
        foreach (var (code, severity) in sample.ExpectedSeverities)
        {
            // The most severe finding of the code (retries logged at info level may precede the final error).
            var worst = diagnosis.Findings.Where(f => f.Code == code).Max(f => f.Severity);
            Assert.Equal(severity, worst.ToString().ToLowerInvariant());
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_CorpusSample_ReturnsExpectedPhasesInOrder(string name)
    {
        var sample = KubeadmCorpus.Get(name);
        Assert.NotNull(sample.ExpectedPhases);

        var diagnosis = KubeadmOutputAnalyzer.Analyze(sample.Output);

        Assert.Equal(sample.ExpectedPhases, diagnosis.Phases);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_CorpusSample_ReturnsExpectedJoinCommands(string name)
    {
        var sample = KubeadmCorpus.Get(name);

        var diagnosis = KubeadmOutputAnalyzer.Analyze(sample.Output);

        var actual = diagnosis.JoinCommands.Select(j => new KubeadmCorpusJoin(
            j.Kind == JoinCommandKind.ControlPlane ? "control-plane" : "worker", j.Endpoint, j.TokenId, j.HasCaHash, j.HasCertificateKey));
        Assert.Equal(sample.ExpectedJoins, actual);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_CorpusSample_NoSecretSurvivesInAnyReturnedString(string name)
    {
        var sample = KubeadmCorpus.Get(name);
        var secrets = SecretsIn(sample.Output);

        var diagnosis = KubeadmOutputAnalyzer.Analyze(sample.Output);

        var returned = diagnosis.Phases
            .Concat(diagnosis.JoinCommands.SelectMany(j => new[] { j.Command, j.Endpoint ?? string.Empty, j.TokenId ?? string.Empty }))
            .Concat(diagnosis.Findings.SelectMany(f => new[] { f.Code, f.Message, f.Fix, f.Evidence }))
            .ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(returned, s => s.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_CorpusSampleWithCrlf_GivesTheSameDiagnosis(string name)
    {
        var sample = KubeadmCorpus.Get(name);

        var lf = KubeadmOutputAnalyzer.Analyze(sample.Output);
        var crlf = KubeadmOutputAnalyzer.Analyze(sample.Output.ReplaceLineEndings("\r\n"));

        Assert.Equal(lf.Outcome, crlf.Outcome);
        Assert.Equal(lf.Phases, crlf.Phases);
        Assert.Equal(lf.JoinCommands, crlf.JoinCommands);
        Assert.Equal(lf.Findings, crlf.Findings);
    }

    [Fact]
    public void Corpus_EverySample_StatesItsProvenance()
    {
        Assert.All(KubeadmCorpus.All, s => Assert.Matches("https://|/work/shared/seeds/", s.Provenance));
    }

    [Fact]
    public void Corpus_CoversEveryRequiredCodeAndBothOutcomes()
    {
        string[] required =
        [
            "swap-enabled", "port-in-use", "insufficient-cpu", "insufficient-memory", "bridge-netfilter", "ip-forward-disabled",
            "container-runtime-unavailable", "missing-binary", "system-verification", "leftover-state", "control-plane-timeout",
            "endpoint-unreachable", "token-invalid", "certificate-key-expired", "certificate-mismatch", "cgroup-driver-mismatch",
            "image-pull-failed",
        ];

        Assert.True(KubeadmCorpus.All.Count >= 25, $"only {KubeadmCorpus.All.Count} samples");
        var covered = KubeadmCorpus.All.SelectMany(s => s.ExpectedCodes).ToHashSet();
        Assert.Empty(required.Except(covered));
        Assert.Contains(KubeadmCorpus.All, s => s.ExpectedOutcome == "success" && s.ExpectedJoins.Count > 0);
        Assert.Contains(KubeadmCorpus.All, s => s.ExpectedOutcome == "success" && s.Name.Contains("join", StringComparison.Ordinal));
        Assert.Contains(KubeadmCorpus.All, s => s.Output.Contains("root@", StringComparison.Ordinal));
    }

    // What must never come back: token secrets, certificate keys, anything after --token / --certificate-key.
    private static HashSet<string> SecretsIn(string output)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in TokenRegex().Matches(output))
        {
            secrets.Add(m.Groups["secret"].Value);
        }

        foreach (Match m in HexKeyRegex().Matches(output))
        {
            secrets.Add(m.Value);
        }

        foreach (Match m in FlagRegex().Matches(output))
        {
            var value = m.Groups["v"].Value;
            var dot = value.IndexOf('.', StringComparison.Ordinal);
            var secret = dot > 0 ? value[(dot + 1)..] : value;
            if (secret.Length >= 6 && !secret.StartsWith('<'))
            {
                secrets.Add(secret);
            }
        }

        return secrets;
    }

    [GeneratedRegex(@"\b[a-z0-9]{6}\.(?<secret>[a-z0-9]{16})\b")]
    private static partial Regex TokenRegex();

    [GeneratedRegex(@"(?<!sha256:)(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")]
    private static partial Regex HexKeyRegex();

    [GeneratedRegex(@"(?:--token|--certificate-key)\s+(?<v>\S+)")]
    private static partial Regex FlagRegex();
}
