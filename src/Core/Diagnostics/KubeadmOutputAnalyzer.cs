using System.Text.RegularExpressions;
using KubeHa.Core.Security;

namespace KubeHa.Core.Diagnostics;

/// <summary>
/// Reads the output of <c>kubeadm init</c>, <c>join</c>, <c>reset</c> or <c>token</c> (versions 1.13 to 1.35, pasted
/// from a terminal, a CI log or an issue) and tells how it ended, which phases ran, which join commands it printed and
/// what went wrong, with a fix for each finding.
/// Pure, linear in the input and thread-safe; input beyond <see cref="MaxInputChars"/> is cut from the front.
/// Everything returned is passed through <see cref="SecretMasker"/>: no token secret or certificate key leaves it.
/// </summary>
/// <remarks>For the run view (issue 5): call <see cref="Analyze"/> on a failed step's output tail and show
/// <see cref="KubeadmDiagnosis.Findings"/> above the log; store finding codes, never the raw text.</remarks>
public static partial class KubeadmOutputAnalyzer
{
    /// <summary>Largest input read (characters); longer input keeps its last <see cref="MaxInputChars"/> characters.</summary>
    public const int MaxInputChars = 4 * 1024 * 1024;

    /// <summary>Longest evidence line returned.</summary>
    public const int MaxEvidenceChars = 500;

    /// <summary>Analyzes kubeadm output.</summary>
    public static KubeadmDiagnosis Analyze(string? output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return KubeadmDiagnosis.Empty;
        }

        var truncated = output.Length > MaxInputChars;
        var text = truncated ? output[^MaxInputChars..] : output;
        var lines = KubeadmLineReader.Read(text);

        var phases = new List<string>();
        var joins = new List<KubeadmJoinCommand>();
        var findings = new List<KubeadmFinding>();
        var seenFindings = new HashSet<(string, string)>();
        var lastSuccess = -1;
        var lastFailure = -1;
        KubeadmLine? failureLine = null;
        var printedJoin = false;
        var waitingForControlPlane = false;

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Text.Contains("kubeadm join", StringComparison.Ordinal) && KubeadmJoinCommandParser.TryParse(line.Text) is { } join)
            {
                if (!joins.Contains(join))
                {
                    joins.Add(join);
                }

                printedJoin |= !line.AtPrompt;
            }

            if (line.AtPrompt)
            {
                continue; // a command typed by the operator, not output
            }

            if (KubeadmPhaseNames.Of(line.Text) is { } phase)
            {
                waitingForControlPlane |= phase == "wait-control-plane";
                if (!phases.Contains(phase))
                {
                    phases.Add(SecretMasker.Apply(phase));
                }
            }

            if (SuccessRegex().IsMatch(line.Text))
            {
                lastSuccess = i;
            }

            if (line.KlogLevel == 'F' || FailureRegex().IsMatch(line.Text))
            {
                lastFailure = i;
                if (failureLine is null || line.Text.StartsWith("error", StringComparison.OrdinalIgnoreCase))
                {
                    failureLine = line;
                }
            }

            if (KubeadmFindingMatcher.Match(line, waitingForControlPlane) is { } match)
            {
                AddFinding(findings, seenFindings, match.Code, match.Severity, line);
            }
        }

        var outcome = lastFailure > lastSuccess ? KubeadmOutcome.Failure
            : lastSuccess >= 0 ? KubeadmOutcome.Success
            : printedJoin && phases.Count == 0 && !findings.Any(f => f.Severity == FindingSeverity.Error)
                ? KubeadmOutcome.Success // kubeadm token create --print-join-command
            : KubeadmOutcome.Unknown;

        if (outcome == KubeadmOutcome.Failure && failureLine is not null && !findings.Any(f => f.Severity == FindingSeverity.Error))
        {
            AddFinding(findings, seenFindings, KubeadmFindingCodes.UnrecognisedFailure, FindingSeverity.Error, failureLine);
        }

        return new KubeadmDiagnosis(outcome, phases, joins, findings, truncated);
    }

    private static void AddFinding(
        List<KubeadmFinding> findings, HashSet<(string, string)> seen, string code, FindingSeverity severity, KubeadmLine line)
    {
        var evidence = SecretMasker.Apply(line.Text);
        if (evidence.Length > MaxEvidenceChars)
        {
            evidence = evidence[..(MaxEvidenceChars - 1)] + "…";
        }

        if (!seen.Add((code, evidence)))
        {
            return;
        }

        var entry = KubeadmFindingCatalog.Get(code);
        findings.Add(new KubeadmFinding(code, severity, entry.Message, entry.Fix, evidence, line.Number));
    }

    [GeneratedRegex(
        @"Your Kubernetes (?:control-plane|master) has initialized successfully|This node has joined the cluster|^Node join complete|The reset process does not (?:clean|reset)|\[upgrade/successful\] SUCCESS|^TOKEN\s+TTL\s+EXPIRES|^[a-z0-9]{6}\.[a-z0-9]{16}$|^\[addons\] Applied essential addon: kube-proxy",
        RegexOptions.CultureInvariant, 2000)]
    private static partial Regex SuccessRegex();

    [GeneratedRegex(
        @"^error execution phase|^error: |^Error: |^\[ERROR |Some fatal errors occurred|is not healthy after \d|^k8s\.io/kubernetes/cmd/kubeadm/app/|Unfortunately, an error has occurred|could(?:n't| not) initialize a Kubernetes cluster|To see the stack trace of this error|^\[preflight\] If you know what you are doing",
        RegexOptions.CultureInvariant, 2000)]
    private static partial Regex FailureRegex();
}
