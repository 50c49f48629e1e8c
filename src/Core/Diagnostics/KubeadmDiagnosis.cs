namespace KubeHa.Core.Diagnostics;

/// <summary>What kubeadm output says: how it ended, which phases ran, which join commands it printed, what went wrong.</summary>
/// <param name="Outcome">Success, failure or unknown.</param>
/// <param name="Phases">Phases seen, in order of first appearance, with normalised names (<c>upload-config</c>, <c>bootstrap-token</c>...).</param>
/// <param name="JoinCommands">Distinct join commands, in order of appearance.</param>
/// <param name="Findings">Findings in order of appearance, deduplicated by code and evidence.</param>
/// <param name="Truncated">True when the input was longer than <see cref="KubeadmOutputAnalyzer.MaxInputChars"/> and only its end was read.</param>
public sealed record KubeadmDiagnosis(
    KubeadmOutcome Outcome,
    IReadOnlyList<string> Phases,
    IReadOnlyList<KubeadmJoinCommand> JoinCommands,
    IReadOnlyList<KubeadmFinding> Findings,
    bool Truncated)
{
    /// <summary>The diagnosis of empty output.</summary>
    public static KubeadmDiagnosis Empty { get; } = new(KubeadmOutcome.Unknown, [], [], [], false);

    /// <summary>True when at least one finding has severity <see cref="FindingSeverity.Error"/>.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);
}
